/**
 * The scale client: any kind with a `scale` subresource (Deployments, ReplicaSets, StatefulSets,
 * …), resolved from scaleTargetRef's group and kind through a REST mapper, read and written as an
 * autoscaling/v1 Scale, as upstream's scale client does.
 */
import { num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import type { Scale, ScaleClient, ScaleTargetRef } from './deps.js';

/** ResourceMapping is one served resource of a kind. */
export interface ResourceMapping {
  group: string;
  version: string;
  resource: string;
}

/** RestMapper lists the resources serving group/kind, preferred first (empty when none). */
export type RestMapper = (group: string, kind: string) => ResourceMapping[];

/** parseGroupVersion is schema.ParseGroupVersion: `v1`, `apps/v1`; more than one slash is an error. */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new Error(`unexpected GroupVersion string: ${apiVersion}`);
}

function toScale(obj: KubeObject): Scale {
  return { specReplicas: num(obj, 'spec', 'replicas') ?? 0, statusReplicas: num(obj, 'status', 'replicas') ?? 0, selector: str(obj, 'status', 'selector') ?? '', raw: obj };
}

/**
 * restScaleClient reads scales through client; the mapping that answered a get is remembered
 * per target so the update goes to the same resource.
 */
export function restScaleClient(client: Client, mapper: RestMapper): ScaleClient {
  const found = new Map<string, ResourceMapping>();
  const keyOf = (ns: string, ref: ScaleTargetRef): string => `${ns}/${ref.apiVersion}/${ref.kind}/${ref.name}`;
  const request = (verb: 'get' | 'update', m: ResourceMapping, ns: string, name: string, body?: unknown): Promise<unknown> =>
    client.transport.request({ verb, group: m.group, version: m.version, resource: m.resource, namespace: ns, name, subresource: 'scale', ...(body ? { body } : {}) });
  return {
    async get(ns, ref) {
      const { group } = parseGroupVersion(ref.apiVersion);
      const mappings = mapper(group, ref.kind);
      if (mappings.length === 0) throw new Error(`no matches for kind "${ref.kind}" in group "${group}"`);
      let firstErr: Error | undefined;
      for (const m of mappings) {
        try {
          const scale = toScale((await request('get', m, ns, ref.name)) as KubeObject);
          found.set(keyOf(ns, ref), m);
          return scale;
        } catch (e) {
          firstErr ??= e as Error;
        }
      }
      throw firstErr ?? new Error('unrecognized resource');
    },
    async update(ns, ref, scale, replicas) {
      const m = found.get(keyOf(ns, ref)) ?? mapper(parseGroupVersion(ref.apiVersion).group, ref.kind)[0];
      if (!m) throw new Error(`no matches for kind "${ref.kind}" in group "${parseGroupVersion(ref.apiVersion).group}"`);
      const body = { ...scale.raw, spec: { ...((scale.raw.spec as object | undefined) ?? {}), replicas } };
      await request('update', m, ns, ref.name, body);
    },
  };
}
