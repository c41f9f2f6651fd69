import type { ResourceType } from '../api/resource.js';
import type { ResourceRegistry, ServedResource } from './registry.js';

/** VERBS are the verbs every stored resource supports. */
export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface SubresourceInfo {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** subresourcesOf lists a resource's subresources as discovery shows them. */
export function subresourcesOf(t: ResourceType): SubresourceInfo[] {
  const out: SubresourceInfo[] = [];
  if (t.hasStatus) out.push({ name: 'status', kind: t.kind, verbs: ['get', 'patch', 'update'] });
  for (const s of t.subresources) {
    switch (s) {
      case 'scale':
        out.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
        break;
      case 'binding':
        out.push({ name: 'binding', kind: 'Binding', verbs: ['create'] });
        break;
      case 'eviction':
        out.push({ name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] });
        break;
      case 'log':
        out.push({ name: 'log', kind: 'Pod', verbs: ['get'] });
        break;
      case 'exec':
        out.push({ name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] });
        break;
      case 'attach':
        out.push({ name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] });
        break;
      case 'portforward':
        out.push({ name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
        break;
      case 'proxy':
        out.push({ name: 'proxy', kind: `${t.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] });
        break;
      case 'token':
        out.push({ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] });
        break;
      case 'finalize':
        out.push({ name: 'finalize', kind: t.kind, verbs: ['update'] });
        break;
      case 'ephemeralcontainers':
        out.push({ name: 'ephemeralcontainers', kind: t.kind, verbs: ['get', 'patch', 'update'] });
        break;
      case 'approval':
        out.push({ name: 'approval', kind: t.kind, verbs: ['get', 'patch', 'update'] });
        break;
      default:
        out.push({ name: s, kind: t.kind, verbs: ['get'] });
    }
  }
  return out;
}

/** apiVersions answers GET /api. */
export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(name: string, versions: string[]): object {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

/** apiGroupList answers GET /apis. */
export function apiGroupList(reg: ResourceRegistry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: reg.groups().map((g) => apiGroup(g.name, g.versions)) };
}

/** apiGroupDoc answers GET /apis/<group>, or undefined when the group is not served. */
export function apiGroupDoc(reg: ResourceRegistry, group: string): object | undefined {
  const versions = reg.versionsOf(group);
  if (!versions.length) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

/** apiResourceList answers GET /api/v1 and /apis/<group>/<version>, or undefined when not served. */
export function apiResourceList(reg: ResourceRegistry, group: string, version: string): object | undefined {
  const served = reg.served(group, version);
  if (!served.length) return undefined;
  const resources: object[] = [];
  for (const s of served) {
    const t = s.type;
    const entry: Record<string, unknown> = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs ?? VERBS };
    // Converted legacy versions carry no short names or categories, so `kubectl get ing` and
    // `kubectl get all` resolve to the stored version alone.
    if (t.shortNames.length && !s.converter) entry.shortNames = t.shortNames;
    if (t.categories.length && !s.converter) entry.categories = t.categories;
    resources.push(entry);
    for (const sub of subresourcesOf(t)) {
      const e: Record<string, unknown> = { name: `${t.plural}/${sub.name}`, singularName: '', namespaced: t.namespaced, kind: sub.kind, verbs: sub.verbs };
      if (sub.group) e.group = sub.group;
      if (sub.version) e.version = sub.version;
      resources.push(e);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function discoveryResource(s: ServedResource): object {
  const t = s.type;
  const r: Record<string, unknown> = {
    resource: t.plural,
    responseKind: { group: s.group, version: s.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: t.verbs ?? VERBS,
  };
  if (t.shortNames.length && !s.converter) r.shortNames = t.shortNames;
  if (t.categories.length && !s.converter) r.categories = t.categories;
  const subs = subresourcesOf(t);
  if (subs.length) {
    r.subresources = subs.map((sub) => ({
      subresource: sub.name,
      responseKind: { group: sub.group ?? s.group, version: sub.version ?? s.version, kind: sub.kind },
      verbs: sub.verbs,
    }));
  }
  return r;
}

/** aggregatedDiscovery answers GET /api or /apis for clients asking for apidiscovery.k8s.io APIGroupDiscoveryList. */
export function aggregatedDiscovery(reg: ResourceRegistry, core: boolean, version: 'v2' | 'v2beta1'): object {
  const groups = core ? [{ name: '', versions: ['v1'] }] : reg.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v, resources: reg.served(g.name, v).map(discoveryResource), freshness: 'Current' })),
    })),
  };
}
