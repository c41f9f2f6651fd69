import type { KubeObject } from '../api/types.js';
import type { PatchKind, Transport, WatchMessage } from '../api/transport.js';

/** GroupVersionResource names a resource collection. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** ObjectList is a LIST answer. */
export interface ObjectList {
  items: KubeObject[];
  metadata: { resourceVersion?: string; continue?: string };
}

/** ListOptions are label/field selectors and paging for list and watch. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

/** DeleteOptions for delete calls. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

function listQuery(o: ListOptions = {}): Record<string, string> {
  const q: Record<string, string> = {};
  if (o.labelSelector) q.labelSelector = o.labelSelector;
  if (o.fieldSelector) q.fieldSelector = o.fieldSelector;
  if (o.limit) q.limit = String(o.limit);
  if (o.continue) q.continue = o.continue;
  if (o.resourceVersion !== undefined) q.resourceVersion = o.resourceVersion;
  return q;
}

/** ResourceClient calls one resource's verbs; namespace "" means cluster-scoped or all namespaces. */
export class ResourceClient {
  constructor(
    private readonly transport: Transport,
    readonly gvr: GroupVersionResource,
  ) {}

  private base(namespace: string, name?: string, subresource?: string): { group: string; version: string; resource: string; namespace?: string; name?: string; subresource?: string } {
    const r: { group: string; version: string; resource: string; namespace?: string; name?: string; subresource?: string } = { ...this.gvr };
    if (namespace) r.namespace = namespace;
    if (name) r.name = name;
    if (subresource) r.subresource = subresource;
    return r;
  }

  /** get reads one object. */
  async get(namespace: string, name: string): Promise<KubeObject> {
    return (await this.transport.request({ verb: 'get', ...this.base(namespace, name) })) as KubeObject;
  }

  /** list reads a collection. */
  async list(namespace: string, opts?: ListOptions): Promise<ObjectList> {
    return (await this.transport.request({ verb: 'list', ...this.base(namespace), query: listQuery(opts) })) as ObjectList;
  }

  /** create stores a new object; namespace comes from the argument. */
  async create(namespace: string, obj: KubeObject): Promise<KubeObject> {
    return (await this.transport.request({ verb: 'create', ...this.base(namespace), body: obj })) as KubeObject;
  }

  /** update replaces an object (409 on a stale resourceVersion). */
  async update(obj: KubeObject): Promise<KubeObject> {
    return (await this.transport.request({ verb: 'update', ...this.base(obj.metadata.namespace ?? '', obj.metadata.name ?? ''), body: obj })) as KubeObject;
  }

  /** updateStatus replaces an object's status through the status subresource. */
  async updateStatus(obj: KubeObject): Promise<KubeObject> {
    return (await this.transport.request({ verb: 'update', ...this.base(obj.metadata.namespace ?? '', obj.metadata.name ?? '', 'status'), body: obj })) as KubeObject;
  }

  /** patch applies a patch (to the object or to a subresource such as "status"). */
  async patch(namespace: string, name: string, type: PatchKind, patch: unknown, subresource?: string): Promise<KubeObject> {
    return (await this.transport.request({ verb: 'patch', ...this.base(namespace, name, subresource), patchType: type, body: patch })) as KubeObject;
  }

  /** delete removes an object (or marks it for graceful deletion). */
  async delete(namespace: string, name: string, opts: DeleteOptions = {}): Promise<unknown> {
    return this.transport.request({ verb: 'delete', ...this.base(namespace, name), body: { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } });
  }

  /** createSubresource posts to a subresource (pods/binding, pods/eviction). */
  async createSubresource(namespace: string, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.transport.request({ verb: 'create', ...this.base(namespace, name, subresource), body });
  }

  /** watch streams changes after resourceVersion; returns a stop function. */
  watch(namespace: string, opts: ListOptions & { allowWatchBookmarks?: boolean; timeoutSeconds?: number }, onEvent: (e: WatchMessage) => void, onClose: (err?: Error) => void): Promise<() => void> {
    const query = listQuery(opts);
    if (opts.allowWatchBookmarks) query.allowWatchBookmarks = 'true';
    if (opts.timeoutSeconds) query.timeoutSeconds = String(opts.timeoutSeconds);
    const req: { group: string; version: string; resource: string; namespace?: string; query: Record<string, string> } = { ...this.gvr, query };
    if (namespace) req.namespace = namespace;
    return this.transport.watch(req, onEvent, onClose);
  }
}

/** Client hands out ResourceClients over one transport. */
export class Client {
  constructor(readonly transport: Transport) {}

  /** resource returns the client of one resource collection. */
  resource(gvr: GroupVersionResource): ResourceClient {
    return new ResourceClient(this.transport, gvr);
  }
}

/** Well-known resources. */
export const R = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  events: { group: '', version: 'v1', resource: 'events' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  persistentvolumeclaims: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  replicationcontrollers: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  poddisruptionbudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
  ingressclasses: { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' },
} satisfies Record<string, GroupVersionResource>;
