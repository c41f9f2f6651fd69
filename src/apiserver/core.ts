import type { Backend, KeyValue, WatchEvent, WatchHandle } from '../storage/backend.js';
import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { errors } from '../api/errors.js';
import { parseSelector } from '../api/labels/selector.js';
import { parseFieldSelector } from '../api/fields/selector.js';
import type { SchemaLookup } from './schema_types.js';
import type { AdmissionPlugin } from './admission.js';
import { ResourceRegistry, toServed } from './registry.js';
import { ObjectStore, keyPrefix, objectKey } from './object_store.js';
import { WatchCache, type CacheEvent, type CachedObject } from './watch_cache.js';
import type { ListOptions, Scope } from './scope.js';
import type { ValueTransformer } from './encryption/transformer.js';

/** ApiCoreOptions wires the API server's core to its storage and plugins. */
/** Creator answers a create of a type that is never stored (a review), given the decoded body. */
export type Creator = (scope: Scope, body: KubeObject) => Promise<KubeObject> | KubeObject;

/** SubresourceCreator answers a create on a subresource that stores nothing (`serviceaccounts/token`). */
export type SubresourceCreator = (scope: Scope, name: string, body: KubeObject) => Promise<KubeObject>;

/**
 * Reader answers get and list of a type that is never stored (metrics.k8s.io's NodeMetrics and
 * PodMetrics), from memory, in the served version.
 */
export interface Reader {
  get(scope: Scope, name: string): Promise<KubeObject> | KubeObject;
  list(scope: Scope, opts: ListOptions): Promise<ListResult> | ListResult;
}

export interface ApiCoreOptions {
  backend: Backend;
  resources: ResourceType[];
  clock: Clock;
  logger: Logger;
  admission?: AdmissionPlugin[];
  schemas?: SchemaLookup;
  /** watchCacheCapacity: recent events kept per resource for watches that resume. */
  watchCacheCapacity?: number;
  /**
   * transformers, when given, return the value transformer that stores a resource (group '' for
   * core) encrypted at rest, or undefined to store it as is. Asked on every read and write, so a
   * reloaded encryption configuration applies at once.
   */
  transformers?: (group: string, plural: string) => ValueTransformer | undefined;
}

/** ListResult is a LIST answer in the served version. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** WatchSink receives a watch's events (objects in the served version); false means too slow. */
export interface WatchSink {
  send(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', obj: KubeObject): boolean;
  close(err?: Error): void;
}

type Filter = (obj: KubeObject) => boolean;

/** REGISTRY_PREFIX is the storage prefix under which every object lives. */
const REGISTRY_PREFIX = '/registry/';

/**
 * ApiCore is the request chain behind every API call after authentication: it reads from the
 * watch caches and writes through admission into storage. HTTP handlers and the in-process client
 * both call it, so both take the same path.
 */
export class ApiCore {
  readonly registry: ResourceRegistry;
  /** creators answer create on types that are not stored (reviews): the body in, the answer out. */
  readonly creators = new Map<ResourceType, Creator>();
  /** subresourceCreators answer create on subresources by `<plural>/<subresource>` (core group), over HTTPS and in-process alike. */
  readonly subresourceCreators = new Map<string, SubresourceCreator>();
  /** readers answer get and list on types that are not stored, over HTTPS and in-process alike. */
  readonly readers = new Map<ResourceType, Reader>();
  readonly store: ObjectStore;
  private readonly caches = new Map<ResourceType, WatchCache>();
  private storageWatch: WatchHandle | undefined;
  private stopped = false;

  constructor(readonly opts: ApiCoreOptions) {
    this.registry = new ResourceRegistry(opts.resources);
    const transformers = opts.transformers;
    this.store = new ObjectStore(opts.backend, transformers && ((key) => transformers(...keyResource(key))));
    // The writer's object stands in for the bytes it was just encoded to (see ObjectStore).
    const decode = (kv: KeyValue): KubeObject => this.store.committedObject(kv);
    const decodeStored = (kv: KeyValue): KubeObject => this.store.decodeStored(kv);
    for (const t of opts.resources) {
      const cacheOpts = { prefix: keyPrefix(t), logger: opts.logger.child(`cache/${t.plural}`), decode, decodeStored };
      this.caches.set(t, new WatchCache(opts.watchCacheCapacity ? { ...cacheOpts, capacity: opts.watchCacheCapacity } : cacheOpts));
    }
  }

  /**
   * start fills every watch cache from one listing of storage and follows it with one watch, so
   * all caches move through revisions together (a read waits on the global revision).
   */
  async start(): Promise<void> {
    const { backend } = this.opts;
    const listing = await backend.list(REGISTRY_PREFIX);
    const caches = [...this.caches.values()];
    for (const c of caches) c.load(listing.kvs.filter((kv) => kv.key.startsWith(c.prefix)), listing.revision);
    const route = eventRouter(caches);
    this.storageWatch = backend.watch(REGISTRY_PREFIX, listing.revision, {
      onEvents: (evs) => {
        for (const [c, mine] of route(evs)) c.apply(mine);
        const newest = evs[evs.length - 1]?.kv.modRevision ?? 0;
        for (const c of caches) c.advance(newest);
      },
      onError: (err) => {
        if (this.stopped) return;
        this.opts.logger.error('storage watch ended; reloading the watch caches', { err: err.message });
        void this.start();
      },
    });
  }

  /**
   * redecode reads again the values the caches hold as unreadable stand-ins (see ObjectStore),
   * after the encryption configuration changed: what the new one reads becomes readable at once.
   * Returns how many became readable.
   */
  async redecode(): Promise<number> {
    let fixed = 0;
    const byPrefix = new Map<string, WatchCache[]>();
    for (const c of this.caches.values()) byPrefix.set(c.prefix, [...(byPrefix.get(c.prefix) ?? []), c]);
    for (const key of this.store.takeUnreadableKeys()) {
      const stale = (byPrefix.get(resourcePrefix(key)) ?? []).flatMap((c) => {
        const cur = c.get(key);
        return cur && !this.store.isReadable(cur.obj) ? [{ c, cur }] : [];
      });
      if (stale.length === 0) continue;
      const kv = (await this.opts.backend.get(key)).kv;
      for (const { c, cur } of stale) {
        // A newer write replaces the stand-in through the storage watch anyway.
        if (!kv || kv.modRevision !== cur.rv) continue;
        const obj = this.store.decodeStored(kv);
        if (c.replace(key, cur.obj, obj) && this.store.isReadable(obj)) fixed++;
      }
    }
    return fixed;
  }

  /** stop ends the storage watch and every client watch. */
  stop(): void {
    this.stopped = true;
    this.storageWatch?.stop();
    for (const c of this.caches.values()) c.stop();
  }

  /** cache returns the watch cache of a resource type. */
  cache(t: ResourceType): WatchCache {
    const c = this.caches.get(t);
    if (!c) throw errors.internal(`no cache for ${t.plural}`);
    return c;
  }

  /** fresh returns the cache after it has caught up with storage, for consistent reads. */
  async fresh(t: ResourceType): Promise<WatchCache> {
    const c = this.cache(t);
    await c.waitFor(await this.store.currentRevision());
    return c;
  }

  /** getStored returns the stored-version object or throws 404. */
  async getStored(t: ResourceType, namespace: string, name: string): Promise<CachedObject> {
    const c = await this.fresh(t);
    const found = c.get(objectKey(t, namespace, name));
    if (!found) throw errors.notFound({ group: t.group, resource: t.plural }, name);
    this.store.readable(found.obj);
    return found;
  }

  /** get returns one object in the served version. */
  async get(scope: Scope, name: string): Promise<KubeObject> {
    const reader = this.readers.get(scope.served.type);
    if (reader) return reader.get(scope, name);
    const found = await this.getStored(scope.served.type, scope.namespace, name);
    return toServed(scope.served, found.obj);
  }

  /** filterFor builds the label/field selector predicate of a LIST or WATCH. */
  filterFor(t: ResourceType, opts: ListOptions): Filter {
    const labels = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
    if (fields) {
      const known = new Set(['metadata.name', 'metadata.namespace']);
      for (const r of fields.requirements) {
        if (known.has(r.field)) continue;
        const sample = t.fieldLabels ? Object.keys(t.fieldLabels({ metadata: {} })) : [];
        if (!sample.includes(r.field)) {
          throw errors.badRequest(`field label not supported: ${r.field}`);
        }
      }
    }
    return (obj) => {
      if (labels && !labels.matches(obj.metadata.labels ?? {})) return false;
      if (fields) {
        const f: Record<string, string> = {
          'metadata.name': obj.metadata.name ?? '',
          'metadata.namespace': obj.metadata.namespace ?? '',
          ...(t.fieldLabels ? t.fieldLabels(obj) : {}),
        };
        if (!fields.matches(f)) return false;
      }
      return true;
    };
  }

  /** list returns matching objects, paged by limit/continue. */
  async list(scope: Scope, opts: ListOptions): Promise<ListResult> {
    const reader = this.readers.get(scope.served.type);
    if (reader) return reader.list(scope, opts);
    const t = scope.served.type;
    const filter = this.filterFor(t, opts);
    const prefix = keyPrefix(t, scope.namespace);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    if (opts.continue) return this.listContinue(scope, prefix, filter, limit, opts.continue);
    const c = opts.resourceVersion === '0' ? this.cache(t) : await this.fresh(t);
    // A value that cannot be read back fails the whole list, as kube-apiserver's does.
    const all = c.list(prefix).filter((x) => filter(this.store.readable(x.obj)));
    const rv = c.revision;
    if (!limit || all.length <= limit) {
      return { items: all.map((x) => toServed(scope.served, x.obj)), resourceVersion: String(rv) };
    }
    const page = all.slice(0, limit);
    const last = page[page.length - 1]!;
    return {
      items: page.map((x) => toServed(scope.served, x.obj)),
      resourceVersion: String(rv),
      continue: encodeContinue(rv, last.key),
      remainingItemCount: all.length - limit,
    };
  }

  private async listContinue(scope: Scope, prefix: string, filter: Filter, limit: number, token: string): Promise<ListResult> {
    const { rv, after } = decodeContinue(token);
    const items: KubeObject[] = [];
    let start = after + '\x00';
    let lastKey = after;
    let more = true;
    while (more && (limit === 0 || items.length < limit)) {
      const page = await this.store.listAt(prefix, rv, start, limit ? Math.max(limit * 2, 50) : 0);
      more = page.more;
      for (const { key, obj } of page.objs) {
        lastKey = key;
        if (!filter(obj)) continue;
        items.push(toServed(scope.served, obj));
        if (limit && items.length >= limit) {
          more = more || page.objs[page.objs.length - 1]?.key !== key;
          break;
        }
      }
      start = lastKey + '\x00';
      if (page.objs.length === 0) more = false;
    }
    const out: ListResult = { items, resourceVersion: String(rv) };
    if (more) out.continue = encodeContinue(rv, lastKey);
    return out;
  }

  /**
   * watch streams changes after opts.resourceVersion to sink. With no resourceVersion (or "0") the
   * current objects come first as ADDED events. Returns a function that ends the watch.
   */
  async watch(scope: Scope, opts: ListOptions, sink: WatchSink): Promise<() => void> {
    const t = scope.served.type;
    const filter = this.filterFor(t, opts);
    const prefix = keyPrefix(t, scope.namespace);
    const requested = opts.resourceVersion ?? '';
    if (requested !== '' && requested !== '0' && !/^\d+$/.test(requested)) {
      throw errors.badRequest(`invalid resource version: ${requested}`);
    }
    const c = this.cache(t);
    const initial = requested === '' || requested === '0' || opts.sendInitialEvents === true;
    if (!initial) await c.waitFor(Number(requested));
    else await c.waitFor(await this.store.currentRevision());
    const from = initial ? c.revision : Number(requested);
    if (initial) {
      const current = c.list(prefix).filter((x) => filter(this.store.readable(x.obj)));
      for (const x of current) sink.send('ADDED', toServed(scope.served, x.obj));
      if (opts.sendInitialEvents) {
        sink.send('BOOKMARK', bookmark(t, from, true));
      }
    }
    const deliver = (events: CacheEvent[]): boolean => {
      for (const e of events) {
        if (!e.key.startsWith(prefix)) continue;
        try {
          if (e.type !== 'DELETED') this.store.readable(e.obj);
        } catch (err) {
          sink.close(err as Error);
          return false;
        }
        const now = filter(e.obj);
        const before = e.prev ? filter(e.prev) : false;
        let type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined;
        if (e.type === 'DELETED') type = before ? 'DELETED' : undefined;
        else if (now && before) type = 'MODIFIED';
        else if (now) type = 'ADDED';
        else if (before) type = 'DELETED';
        if (!type) continue;
        const obj = type === 'DELETED' && e.type !== 'DELETED' ? { ...e.obj } : e.obj;
        if (!sink.send(type, toServed(scope.served, obj))) return false;
      }
      return true;
    };
    const stop = c.watch(from, { push: deliver, close: (err) => sink.close(err) });
    let bookmarkTimer: NodeJS.Timeout | undefined;
    if (opts.allowWatchBookmarks) {
      bookmarkTimer = setInterval(() => sink.send('BOOKMARK', bookmark(t, c.revision, false)), 60_000);
      bookmarkTimer.unref();
    }
    return () => {
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      stop();
    };
  }
}

/**
 * eventRouter returns a function that splits storage events among the caches whose prefix they
 * fall under, keeping each cache's events in order and handing caches out in the order given (as
 * one startsWith filter per cache would, without scanning every cache for every event).
 */
function eventRouter(caches: WatchCache[]): (evs: WatchEvent[]) => [WatchCache, WatchEvent[]][] {
  const byPrefix = new Map<string, number[]>();
  caches.forEach((c, i) => byPrefix.set(c.prefix, [...(byPrefix.get(c.prefix) ?? []), i]));
  return (evs) => {
    const touched = new Map<number, WatchEvent[]>();
    for (const e of evs) {
      for (const i of byPrefix.get(resourcePrefix(e.kv.key)) ?? []) {
        const mine = touched.get(i);
        if (mine) mine.push(e);
        else touched.set(i, [e]);
      }
    }
    const order = [...touched.keys()];
    if (order.length > 1) order.sort((a, b) => a - b);
    return order.map((i) => [caches[i]!, touched.get(i)!]);
  };
}

/** keyResource is the group ('' for core) and plural of a storage key `/registry/<group|core>/<plural>/…`. */
function keyResource(key: string): [group: string, plural: string] {
  const [, , group = '', plural = ''] = key.split('/', 4);
  return [group === 'core' ? '' : group, plural];
}

/** resourcePrefix is the `/registry/<group>/<plural>/` part of a storage key ('' when it has none). */
function resourcePrefix(key: string): string {
  const group = key.indexOf('/', REGISTRY_PREFIX.length);
  const plural = group < 0 ? -1 : key.indexOf('/', group + 1);
  return plural < 0 ? '' : key.slice(0, plural + 1);
}

function bookmark(t: ResourceType, rv: number, initialEnd: boolean): KubeObject {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(rv) };
  if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: t.kind, apiVersion: t.group ? `${t.group}/${t.version}` : t.version, metadata };
}

function encodeContinue(rv: number, key: string): string {
  return Buffer.from(JSON.stringify({ v: 'skiff.k8s.io/v1', rv, start: key })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; after: string } {
  try {
    const d = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof d.rv === 'number' && typeof d.start === 'string') return { rv: d.rv, after: d.start };
  } catch {
    // fall through
  }
  throw errors.badRequest('invalid value for continue: continue key is not valid');
}
