import assert from 'node:assert/strict';
import type { Backend, WatchCallbacks, WatchEvent } from './backend.js';

/** BackendFactory makes a fresh, empty backend and a cleanup that closes it and removes its files. */
export type BackendFactory = () => Promise<{ backend: Backend; cleanup(): Promise<void> }>;

/** withBackend runs fn against a fresh backend from factory and always cleans up. */
export async function withBackend(factory: BackendFactory, fn: (backend: Backend) => Promise<void>): Promise<void> {
  const { backend, cleanup } = await factory();
  try {
    await fn(backend);
  } finally {
    await cleanup();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** enc encodes a string value. */
export function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

/** dec decodes a value (undefined stays undefined). */
export function dec(v: Uint8Array | undefined): string | undefined {
  return v === undefined ? undefined : decoder.decode(v);
}

/** mustCreate creates key=value and fails the test unless it succeeded; returns the revision. */
export async function mustCreate(backend: Backend, key: string, value: string): Promise<number> {
  const r = await backend.create(key, enc(value));
  assert.equal(r.ok, true, `create ${key}`);
  return r.revision;
}

/** assertConsecutive asserts events carry revisions first, first+1, … (no gaps, no duplicates). */
export function assertConsecutive(events: readonly WatchEvent[], first: number): void {
  events.forEach((e, i) => assert.equal(e.kv.modRevision, first + i, `event ${i} revision`));
}

/** EventCollector records a watch's events and lets a test wait, with a timeout, for a count or an error. */
export class EventCollector implements WatchCallbacks {
  readonly events: WatchEvent[] = [];
  error: Error | undefined;
  private wake: (() => void) | undefined;

  onEvents(events: WatchEvent[]): void {
    this.events.push(...events);
    this.wake?.();
  }

  onError(err: Error): void {
    this.error = err;
    this.wake?.();
  }

  /** waitFor resolves once n events arrived; rejects on a watch error or after timeoutMs. */
  async waitFor(n: number, timeoutMs = 5000): Promise<WatchEvent[]> {
    await this.until(() => this.events.length >= n || this.error !== undefined, timeoutMs, `${n} events`);
    if (this.events.length < n && this.error) throw this.error;
    return this.events;
  }

  /** waitForError resolves with the error that ended the watch; rejects after timeoutMs. */
  async waitForError(timeoutMs = 5000): Promise<Error> {
    await this.until(() => this.error !== undefined, timeoutMs, 'a watch error');
    return this.error ?? new Error('unreachable');
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        reject(new Error(`timed out waiting for ${what} (have ${this.events.length} events)`));
      }, timeoutMs);
      this.wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

/** settle waits a few event-loop turns so that anything already scheduled (replays, group commits) runs. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
