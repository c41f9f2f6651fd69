import type { Backend, KeyValue, WriteResult } from '../storage/backend.js';
import { ValueTooLargeError, CompactedError, FutureRevisionError } from '../storage/backend.js';
import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { decodeObject } from './watch_cache.js';
import { isPlainJson } from './json_plain.js';
import type { ValueTransformer } from './encryption/transformer.js';

/** TransformerLookup returns the transformer of the resource a storage key belongs to (undefined: stored as is). */
export type TransformerLookup = (key: string) => ValueTransformer | undefined;

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

/** stampObject is obj (not copied below metadata) as decodeObject would rebuild it from obj's encoding at revision rv. */
function stampObject(obj: KubeObject, rv: number): KubeObject {
  const { resourceVersion: _rv, ...rest } = obj.metadata;
  // As decodeObject builds it: resourceVersion last.
  const meta: KubeObject['metadata'] = rest;
  meta.resourceVersion = String(rv);
  return { ...obj, metadata: meta };
}

/** Written is one write in flight: the bytes sent to storage, the object they encode, and what the watch cache made of it. */
interface Written {
  value: Uint8Array;
  obj: KubeObject;
  cached: KubeObject | undefined;
}

/** WriteOutcome: the object as written, or the current value when the compare failed. */
export type WriteOutcome = { ok: true; obj: KubeObject } | { ok: false; current: KubeObject | undefined };

/**
 * ObjectStore writes Kubernetes objects into a Backend and maps storage errors to API Status errors.
 *
 * A written object is parsed back from its bytes only when it must be: while a write is in flight
 * its object is remembered by key, and committedObject (the watch cache's decoder) takes it instead
 * of parsing the bytes it was just encoded to, when it is the only write in flight for its key (so
 * the event can only be that write's commit), its bytes match, and it is plain JSON. The writer then
 * gets the cached object back as its result. The contract this needs: callers hand create/update
 * an object nobody mutates afterwards, and treat the result as read-only (as with every object
 * the watch caches hand out).
 */
export class ObjectStore {
  private readonly inflight = new Map<string, Written[]>();
  /** undecodable holds the stand-ins of values that could not be read back, with the reason (see decodeStored). */
  private readonly undecodable = new WeakMap<KubeObject, string>();
  private anyUndecodable = false;
  /** unreadableKeys are the keys stand-ins were made for, to read again when the encryption configuration changes. */
  private readonly unreadableKeys = new Set<string>();

  /** transformers, when given, encrypt values at rest (per resource, looked up on every read and write). */
  constructor(
    private readonly backend: Backend,
    private readonly transformers?: TransformerLookup,
  ) {}

  private decode(kv: KeyValue | undefined): KubeObject | undefined {
    return kv ? this.readable(this.decodeStored(kv)) : undefined;
  }

  /** toStorage is the bytes stored for an object's encoding under key. */
  private toStorage(key: string, value: Uint8Array): Uint8Array {
    const t = this.transformers?.(key);
    if (!t) return value;
    try {
      return t.toStorage(value, key);
    } catch (e) {
      throw errors.internal(`unable to transform key "${key}": ${(e as Error).message}`);
    }
  }

  /**
   * decodeStored parses a stored value (decrypting it first when its resource is encrypted) at
   * revision rv. A value that cannot be read back (its key is missing or wrong, its bytes are not
   * JSON) becomes a stand-in holding only its name and namespace, which readable() refuses with an
   * InternalError: one bad value must not stop the watch caches.
   */
  decodeStored(kv: KeyValue, rv = kv.modRevision): KubeObject {
    try {
      const t = this.transformers?.(kv.key);
      return decodeObject(t ? t.fromStorage(kv.value, kv.key).value : kv.value, rv);
    } catch (e) {
      const parts = kv.key.split('/').slice(4);
      const metadata: KubeObject['metadata'] = parts.length > 1 ? { name: parts[1]!, namespace: parts[0]! } : { name: parts[0] ?? '' };
      metadata.resourceVersion = String(rv);
      const standIn: KubeObject = { metadata };
      this.undecodable.set(standIn, `unable to transform key "${kv.key}": ${(e as Error).message}`);
      this.anyUndecodable = true;
      this.unreadableKeys.add(kv.key);
      return standIn;
    }
  }

  /** takeUnreadableKeys hands over (and forgets) the keys of the stand-ins made so far. */
  takeUnreadableKeys(): string[] {
    const out = [...this.unreadableKeys];
    this.unreadableKeys.clear();
    return out;
  }

  /** isReadable is false for a stand-in of a value decodeStored could not read. */
  isReadable(obj: KubeObject): boolean {
    return !this.anyUndecodable || !this.undecodable.has(obj);
  }

  /** readable returns obj, or throws the InternalError of a stand-in decodeStored made for a value it could not read. */
  readable(obj: KubeObject): KubeObject {
    if (!this.anyUndecodable) return obj;
    const why = this.undecodable.get(obj);
    if (why !== undefined) throw errors.internal(why);
    return obj;
  }

  /** create stores obj under key if absent; obj must not be mutated afterwards, and the result is read-only. */
  create(key: string, obj: KubeObject): Promise<WriteOutcome> {
    return this.write(key, obj, (value) => this.backend.create(key, value));
  }

  /** update stores obj under key if its revision is still expectedRV; obj must not be mutated afterwards, and the result is read-only. */
  update(key: string, obj: KubeObject, expectedRV: number): Promise<WriteOutcome> {
    return this.write(key, obj, (value) => this.backend.update(key, value, expectedRV));
  }

  /**
   * committedObject decodes a committed PUT under key for the watch cache: the object its writer
   * handed over when that is exactly what the bytes hold (see the class comment), else the parsed
   * bytes. The result is the cached object: never mutate it.
   */
  committedObject(kv: KeyValue): KubeObject {
    const writers = this.inflight.get(kv.key);
    const w = writers?.length === 1 ? writers[0] : undefined;
    if (w && w.cached === undefined && Buffer.compare(w.value, kv.value) === 0) {
      w.cached = stampObject(w.obj, kv.modRevision);
      return w.cached;
    }
    return this.decodeStored(kv);
  }

  private async write(key: string, obj: KubeObject, put: (value: Uint8Array) => Promise<WriteResult>): Promise<WriteOutcome> {
    const value = this.toStorage(key, encodeObject(obj));
    // Objects whose JSON form differs from themselves (undefined fields, Dates, …) are always parsed back.
    const w: Written | undefined = isPlainJson(obj) ? { value, obj, cached: undefined } : undefined;
    if (w) this.track(key, w);
    try {
      const r = await this.guard(() => put(value));
      if (!r.ok) return { ok: false, current: this.decode(r.kv) };
      // The cached object only stands for this write when it was stamped at this write's revision.
      const cached = w?.cached;
      return { ok: true, obj: cached && cached.metadata.resourceVersion === String(r.kv.modRevision) ? cached : this.decode(r.kv)! };
    } finally {
      if (w) this.untrack(key, w);
    }
  }

  private track(key: string, w: Written): void {
    const writers = this.inflight.get(key);
    if (writers) writers.push(w);
    else this.inflight.set(key, [w]);
  }

  private untrack(key: string, w: Written): void {
    const writers = this.inflight.get(key);
    if (!writers) return;
    const i = writers.indexOf(w);
    if (i >= 0) writers.splice(i, 1);
    if (writers.length === 0) this.inflight.delete(key);
  }

  /** delete removes key if its revision is still expectedRV (when given); obj is the deleted object at the delete's revision. */
  async delete(key: string, expectedRV?: number): Promise<WriteOutcome> {
    const r = await this.guard(() => this.backend.delete(key, expectedRV));
    if (!r.ok) return { ok: false, current: this.decode(r.kv) };
    // The delete has happened: a value that cannot be read back still reports it (as its stand-in).
    const obj = this.decodeStored(r.kv, r.revision);
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
    return { objs: r.kvs.map((kv) => ({ key: kv.key, obj: this.readable(this.decodeStored(kv)) })), more: r.more };
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
