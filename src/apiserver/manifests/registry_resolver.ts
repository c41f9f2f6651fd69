import { parseApiVersion } from '../../api/types.js';
import type { ResourceRegistry } from '../registry.js';
import type { ResolveKind } from './apply.js';

/** registryResolver maps kinds to resources through the API server's registry (every served version). */
export function registryResolver(registry: ResourceRegistry): ResolveKind {
  return (apiVersion, kind) => {
    const { group, version } = parseApiVersion(apiVersion);
    const served = registry.lookupKind(group, version, kind);
    return served ? { group: served.group, version: served.version, resource: served.type.plural, namespaced: served.type.namespaced } : undefined;
  };
}
