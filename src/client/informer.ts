import type { KubeObject } from '../api/types.js';
import type { WatchMessage } from '../api/transport.js';
import type { Logger } from '../lib/log.js';
import type { ResourceClient } from './client.js';

/** EventHandlers react to changes seen by an informer; they must only enqueue work, never block. */
export interface EventHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(old: KubeObject, obj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

/** IndexFunc returns the index values of an object (e.g. its node name). */
export type IndexFunc = (obj: KubeObject) => string[];

/** objectKey is the informer store key: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKeyOf(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : obj.metadata.name ?? '';
}

/** InformerOptions select what an informer mirrors. */
export interface InformerOptions {
  client: ResourceClient;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  logger: Logger;
  indexers?: Record<string, IndexFunc>;
}

/**
 * Informer keeps a local, read-only mirror of one resource (list, then watch; re-list on 410 Gone
 * or when a watch fails) and tells handlers about every change. Objects in the store are shared:
 * callers must copy before they modify.
 */
export class Informer {
  private store = new Map<string, KubeObject>();
  private indices = new Map<string, Map<string, Set<string>>>();
  private handlers: EventHandlers[] = [];
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private stopWatch: (() => void) | undefined;

  constructor(private opts: InformerOptions) {
    for (const name of Object.keys(opts.indexers ?? {})) this.indices.set(name, new Map());
  }

  /** addIndexers adds indexes (before start; existing objects are indexed too). */
  addIndexers(indexers: Record<string, IndexFunc>): void {
    const all = { ...(this.opts.indexers ?? {}), ...indexers };
    this.opts = { ...this.opts, indexers: all };
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
    for (const [key, obj] of this.store) this.put(key, obj, obj);
  }

  /** addHandlers registers handlers; objects already known are delivered as adds. */
  addHandlers(h: EventHandlers): void {
    this.handlers.push(h);
    if (h.onAdd) for (const o of this.store.values()) h.onAdd(o);
  }

  /** hasSynced is true once the first list has been applied. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** waitForSync resolves after the first list. */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((r) => this.syncWaiters.push(r));
  }

  /** get returns the cached object for a key. */
  get(key: string): KubeObject | undefined {
    return this.store.get(key);
  }

  /** list returns every cached object (optionally one namespace). */
  list(namespace?: string): KubeObject[] {
    const all = [...this.store.values()];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  /** byIndex returns cached objects whose index `name` has `value`. */
  byIndex(name: string, value: string): KubeObject[] {
    const keys = this.indices.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.store.get(k)).filter((o): o is KubeObject => o !== undefined);
  }

  /** run lists and watches until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let backoff = 200;
    signal.addEventListener('abort', () => this.stopWatch?.(), { once: true });
    while (!signal.aborted) {
      try {
        const list = await this.opts.client.list(this.opts.namespace ?? '', this.selectors());
        this.replace(list.items);
        backoff = 200;
        await this.watchFrom(list.metadata.resourceVersion ?? '0', signal);
      } catch (e) {
        if (signal.aborted) break;
        this.opts.logger.debug('list/watch failed; retrying', { resource: this.opts.client.gvr.resource, err: (e as Error).message });
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private selectors(): { labelSelector?: string; fieldSelector?: string } {
    const s: { labelSelector?: string; fieldSelector?: string } = {};
    if (this.opts.labelSelector) s.labelSelector = this.opts.labelSelector;
    if (this.opts.fieldSelector) s.fieldSelector = this.opts.fieldSelector;
    return s;
  }

  /** watchFrom follows the watch, re-watching from the last revision; returns (to re-list) on 410. */
  private async watchFrom(rv: string, signal: AbortSignal): Promise<void> {
    let last = rv;
    while (!signal.aborted) {
      const ended = await new Promise<'closed' | 'gone' | Error>((resolve) => {
        const onEvent = (e: WatchMessage): void => {
          if (e.type === 'ERROR') {
            const code = (e.object as { code?: number }).code;
            resolve(code === 410 ? 'gone' : new Error(`watch error ${code ?? ''}`));
            return;
          }
          const objRV = e.object.metadata?.resourceVersion;
          if (objRV) last = objRV;
          if (e.type !== 'BOOKMARK') this.apply(e.type, e.object);
        };
        const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
        this.opts.client
          .watch(this.opts.namespace ?? '', { ...this.selectors(), resourceVersion: last, allowWatchBookmarks: true, timeoutSeconds }, onEvent, (err) => {
            if (err && (err as { code?: number }).code === 410) resolve('gone');
            else resolve(err ?? 'closed');
          })
          .then((stop) => {
            this.stopWatch = stop;
            if (signal.aborted) stop();
          })
          .catch((err: unknown) => resolve((err as { code?: number }).code === 410 ? 'gone' : (err as Error)));
      });
      this.stopWatch = undefined;
      if (ended === 'gone') return;
      if (ended instanceof Error) throw ended;
    }
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    const key = objectKeyOf(obj);
    const old = this.store.get(key);
    if (type === 'DELETED') {
      if (!old) return;
      this.remove(key, old);
      for (const h of this.handlers) h.onDelete?.(obj);
      return;
    }
    this.put(key, obj, old);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  /** replace applies a full listing: adds, updates and deletes relative to the store. */
  private replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKeyOf(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.apply(old ? 'MODIFIED' : 'ADDED', obj);
    }
    for (const [key, old] of [...this.store]) if (!seen.has(key)) this.apply('DELETED', old);
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters) w();
      this.syncWaiters = [];
    }
  }

  private put(key: string, obj: KubeObject, old: KubeObject | undefined): void {
    if (old) this.unindex(key, old);
    this.store.set(key, obj);
    for (const [name, fn] of Object.entries(this.opts.indexers ?? {})) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        let set = idx.get(v);
        if (!set) idx.set(v, (set = new Set()));
        set.add(key);
      }
    }
  }

  private remove(key: string, old: KubeObject): void {
    this.unindex(key, old);
    this.store.delete(key);
  }

  private unindex(key: string, old: KubeObject): void {
    for (const [name, fn] of Object.entries(this.opts.indexers ?? {})) {
      const idx = this.indices.get(name)!;
      for (const v of fn(old)) {
        const set = idx.get(v);
        set?.delete(key);
        if (set && set.size === 0) idx.delete(v);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
