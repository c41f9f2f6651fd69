/**
 * The revisioned key-value store the API server keeps its objects in (kine's shape, etcd's
 * semantics). It knows keys, bytes and revisions only: no Kubernetes types.
 *
 * - Every successful write increments one global revision; the revision is assigned inside the
 *   write transaction, so commit order equals revision order and watchers never see gaps.
 * - Each key carries createRevision (when it was created) and modRevision (its last write).
 * - Compare-and-swap uses modRevision. A failed compare is a value (`ok: false`), not an exception.
 * - Watches start after a revision and deliver every later event under the prefix, in revision
 *   order, without gaps or duplicates. Starting at or below the compacted revision fails with
 *   `CompactedError` (the API server turns it into 410 Gone).
 */

/** KeyValue is one stored key at one revision. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  createRevision: number;
  modRevision: number;
}

/** WriteResult is the outcome of a create, update or delete. */
export type WriteResult =
  | { ok: true; revision: number; kv: KeyValue }
  /** ok false: the compare failed; kv is the current value (undefined when the key is absent). */
  | { ok: false; revision: number; kv: KeyValue | undefined };

/** WatchEvent is one change; for DELETE, kv holds the deleted value with modRevision = the delete's revision. */
export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  /** prevKv is the value before this change, when there was one. */
  prevKv?: KeyValue;
}

/** ListOptions selects a page of a prefix at a revision. */
export interface ListOptions {
  /** revision reads the state as of that revision (0 or absent: the current one). */
  revision?: number;
  /** limit caps the number of keys returned (0 or absent: no limit). */
  limit?: number;
  /** startKey: return keys >= startKey (for continuation). */
  startKey?: string;
}

/** ListResult is a page of keys in key order. */
export interface ListResult {
  revision: number;
  kvs: KeyValue[];
  /** more is true when keys beyond this page exist. */
  more: boolean;
}

/** WatchHandle stops a watch. */
export interface WatchHandle {
  stop(): void;
}

/** WatchCallbacks receive a watch's events in order, or the error that ended it. */
export interface WatchCallbacks {
  onEvents(events: WatchEvent[]): void;
  /** onError ends the watch (e.g. a slow watcher was dropped, or the backend closed). */
  onError(err: Error): void;
}

/** CompactedError: the requested revision was compacted away. */
export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compacted revision ${compacted})`);
    this.name = 'CompactedError';
  }
}

/** FutureRevisionError: the requested revision is newer than the store's current one. */
export class FutureRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`required revision ${requested} is a future revision (current ${current})`);
    this.name = 'FutureRevisionError';
  }
}

/** ValueTooLargeError: a value exceeds the backend's maximum size. */
export class ValueTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`value of ${size} bytes exceeds the limit of ${limit} bytes`);
    this.name = 'ValueTooLargeError';
  }
}

/** Backend is the storage driver interface; memory, sqlite and etcd implement it. */
export interface Backend {
  /** currentRevision returns the newest revision (0 for an empty store). */
  currentRevision(): Promise<number>;
  /** compactedRevision returns the revision below which history is gone (0 if none). */
  compactedRevision(): Promise<number>;
  /** get returns the key at a revision (0 or absent: now); throws CompactedError/FutureRevisionError. */
  get(key: string, revision?: number): Promise<{ revision: number; kv: KeyValue | undefined }>;
  /** list returns keys with the prefix in key order; throws CompactedError/FutureRevisionError. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** count returns how many keys have the prefix now. */
  count(prefix: string): Promise<{ revision: number; count: number }>;
  /** create writes key only if absent. */
  create(key: string, value: Uint8Array): Promise<WriteResult>;
  /** update writes key only if its modRevision equals expectedModRevision. */
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<WriteResult>;
  /** delete removes key if present and, when given, its modRevision matches; kv in the result is the deleted value. */
  delete(key: string, expectedModRevision?: number): Promise<WriteResult>;
  /**
   * watch delivers events under prefix with revision > afterRevision. Throws CompactedError when
   * afterRevision < compactedRevision. Callbacks may run synchronously after a write commits.
   */
  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle;
  /** compact forgets history at and below revision (the newest value of each live key stays). */
  compact(revision: number): Promise<void>;
  /** close flushes pending writes and releases resources; later calls fail. */
  close(): Promise<void>;
}
