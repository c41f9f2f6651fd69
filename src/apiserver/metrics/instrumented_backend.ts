import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Backend, ListOptions, ListResult, WatchCallbacks, WatchHandle, WriteResult, KeyValue } from '../../storage/backend.js';
import { LATENCY_BUCKETS } from './api_metrics.js';

const REGISTRY_PREFIX = '/registry/';

/** StoredResource is one resource's storage prefix and its metric label ("pods", "deployments.apps"). */
export interface StoredResource {
  prefix: string;
  resource: string;
}

/** storedResource is a resource's prefix `/registry/<group|core>/<plural>/` and its group-resource label. */
export function storedResource(group: string, plural: string): StoredResource {
  return { prefix: `${REGISTRY_PREFIX}${group || 'core'}/${plural}/`, resource: group ? `${plural}.${group}` : plural };
}

/** Operation is one storage call kind, as kube-apiserver's etcd3 store names it. */
/** COUNT_INTERVAL_MS: how old apiserver_storage_objects may be. */
const COUNT_INTERVAL_MS = 60_000;

type Operation = 'get' | 'list' | 'count' | 'create' | 'update' | 'delete';

/** Children are one resource's latency and count children per operation. */
type Children = Map<Operation, { duration: Histogram.Internal<string>; total: Counter.Internal }>;

/**
 * InstrumentedBackend wraps the datastore and records kube-apiserver's storage metrics under
 * their etcd names (the names dashboards know, whatever the driver: SQLite here):
 * etcd_request_duration_seconds and etcd_requests_total {operation, type}, and
 * apiserver_storage_objects {resource}, counted when scraped at most once a minute.
 */
export class InstrumentedBackend implements Backend {
  private readonly duration: Histogram<string>;
  private readonly total: Counter<string>;
  private readonly byPrefix = new Map<string, Children>();
  private readonly labelOf = new Map<string, string>();

  constructor(
    private readonly inner: Backend,
    registry: Registry,
    resources: StoredResource[],
  ) {
    const registers = [registry];
    this.duration = new Histogram({ name: 'etcd_request_duration_seconds', help: 'Etcd request latency in seconds for each operation and object type.', labelNames: ['operation', 'type'], buckets: LATENCY_BUCKETS, registers });
    this.total = new Counter({ name: 'etcd_requests_total', help: 'Etcd request counts for each operation and object type.', labelNames: ['operation', 'type'], registers });
    for (const r of resources) this.labelOf.set(r.prefix, r.resource);
    const counted = [...this.labelOf];
    let countedAt = -Infinity;
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers,
      // Counted at most once a minute, as kube-apiserver's storage object count tracker, so
      // frequent scrapes do not scan the datastore.
      async collect() {
        if (performance.now() - countedAt < COUNT_INTERVAL_MS) return;
        countedAt = performance.now();
        const counts = await Promise.all(counted.map(([prefix]) => inner.count(prefix).then((c) => c.count, () => -1)));
        // -1 is kube-apiserver's value for a count that failed.
        counted.forEach(([, resource], i) => this.set({ resource }, counts[i] ?? -1));
      },
    });
  }

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }

  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }

  get(key: string, revision?: number): Promise<{ revision: number; kv: KeyValue | undefined }> {
    return this.timed('get', key, this.inner.get(key, revision));
  }

  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    return this.timed('list', prefix, this.inner.list(prefix, opts));
  }

  count(prefix: string): Promise<{ revision: number; count: number }> {
    return this.timed('count', prefix, this.inner.count(prefix));
  }

  create(key: string, value: Uint8Array): Promise<WriteResult> {
    return this.timed('create', key, this.inner.create(key, value));
  }

  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<WriteResult> {
    return this.timed('update', key, this.inner.update(key, value, expectedModRevision));
  }

  delete(key: string, expectedModRevision?: number): Promise<WriteResult> {
    return this.timed('delete', key, this.inner.delete(key, expectedModRevision));
  }

  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle {
    return this.inner.watch(prefix, afterRevision, callbacks);
  }

  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** timed records the call's latency once it settles (failures too, as kube-apiserver does). */
  private timed<T>(op: Operation, key: string, call: Promise<T>): Promise<T> {
    const started = performance.now();
    const child = this.children(key, op);
    const done = (): void => {
      child.total.inc();
      child.duration.observe((performance.now() - started) / 1000);
    };
    call.then(done, done);
    return call;
  }

  private children(key: string, op: Operation): { duration: Histogram.Internal<string>; total: Counter.Internal } {
    const found = resourcePrefix(key);
    // Keys of no known resource share one entry, so the map stays bounded.
    const prefix = this.labelOf.has(found) ? found : '';
    let byOp = this.byPrefix.get(prefix);
    if (!byOp) {
      byOp = new Map();
      this.byPrefix.set(prefix, byOp);
    }
    let child = byOp.get(op);
    if (!child) {
      const type = this.labelOf.get(prefix) ?? '';
      child = { duration: this.duration.labels(op, type), total: this.total.labels(op, type) };
      byOp.set(op, child);
    }
    return child;
  }
}

/** resourcePrefix is the `/registry/<group>/<plural>/` part of a key ('' for keys outside any resource, kept apart so label sets stay bounded). */
function resourcePrefix(key: string): string {
  if (!key.startsWith(REGISTRY_PREFIX)) return '';
  const group = key.indexOf('/', REGISTRY_PREFIX.length);
  const plural = group < 0 ? -1 : key.indexOf('/', group + 1);
  return plural < 0 ? '' : key.slice(0, plural + 1);
}
