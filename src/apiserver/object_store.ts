import type { Backend, KeyValue } from '../storage/backend.js';
import { ValueTooLargeError, CompactedError, FutureRevisionError } from '../storage/backend.js';
import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { decodeObject } from './watch_cache.js';

/** keyPrefix is where a resource's objects live in storage: /registry/<group|core>/<plural>/. */
export function keyPrefix(t: ResourceType, namespace = ''): string {
  const base = `/registry/${t.group || 'core'}/${t.plural}/`;
  return t.namespaced && namespace ? `${base}${namespace}/` : base;
}

/** objectKey is the storage key of one object. */
export function objectKey(t: ResourceType, namespace: string, name: string): string {
  return t.namespaced ? `${keyPrefix(t)}${namespace}/${name}` : `${keyPrefix(t)}${name}`;
}

/** encodeObject serialises an object for storage; resourceVersion is not stored (the revision is). */
export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata: meta }));
}

/** WriteOutcome: the object as written, or the current value when the compare failed. */
export type WriteOutcome = { ok: true; obj: KubeObject } | { ok: false; current: KubeObject | undefined };

/** ObjectStore writes Kubernetes objects into a Backend and maps storage errors to API Status errors. */
export class ObjectStore {
  constructor(private readonly backend: Backend) {}

  private decode(kv: KeyValue | undefined): KubeObject | undefined {
    return kv ? decodeObject(kv.value, kv.modRevision) : undefined;
  }

  /** create stores obj under key if absent. */
  async create(key: string, obj: KubeObject): Promise<WriteOutcome> {
    const r = await this.guard(() => this.backend.create(key, encodeObject(obj)));
    return r.ok ? { ok: true, obj: this.decode(r.kv)! } : { ok: false, current: this.decode(r.kv) };
  }

  /** update stores obj under key if its revision is still expectedRV. */
  async update(key: string, obj: KubeObject, expectedRV: number): Promise<WriteOutcome> {
    const r = await this.guard(() => this.backend.update(key, encodeObject(obj), expectedRV));
    return r.ok ? { ok: true, obj: this.decode(r.kv)! } : { ok: false, current: this.decode(r.kv) };
  }

  /** delete removes key if its revision is still expectedRV (when given); obj is the deleted object at the delete's revision. */
  async delete(key: string, expectedRV?: number): Promise<WriteOutcome> {
    const r = await this.guard(() => this.backend.delete(key, expectedRV));
    if (!r.ok) return { ok: false, current: this.decode(r.kv) };
    const obj = decodeObject(r.kv.value, r.revision);
    return { ok: true, obj };
  }

  /** get reads one key from storage (not the cache). */
  async get(key: string, revision?: number): Promise<KubeObject | undefined> {
    const r = await this.guard(() => this.backend.get(key, revision));
    return this.decode(r.kv);
  }

  /** listAt reads a page of prefix at a revision from storage (for continue tokens). */
  async listAt(prefix: string, revision: number, startKey: string, limit: number): Promise<{ objs: { key: string; obj: KubeObject }[]; more: boolean }> {
    const r = await this.guard(() => this.backend.list(prefix, { revision, startKey, limit }));
    return { objs: r.kvs.map((kv) => ({ key: kv.key, obj: decodeObject(kv.value, kv.modRevision) })), more: r.more };
  }

  /** currentRevision is the storage's newest revision. */
  currentRevision(): Promise<number> {
    return this.backend.currentRevision();
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ValueTooLargeError) throw errors.requestEntityTooLarge(`Request entity too large: ${e.message}`);
      if (e instanceof CompactedError) throw errors.gone(`The resourceVersion for the provided list is too old.`);
      if (e instanceof FutureRevisionError) throw errors.timeout(`Too large resource version: ${e.requested}, current: ${e.current}`);
      throw e;
    }
  }
}
