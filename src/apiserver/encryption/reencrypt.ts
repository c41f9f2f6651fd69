import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { KeyValue } from '../../storage/backend.js';
import type { Logger } from '../../lib/log.js';
import type { ApiCore } from '../core.js';
import type { ValueTransformer } from './transformer.js';

/** SECRETS_PREFIX is where core/v1 Secrets live in storage (keyPrefix of secrets). */
export const SECRETS_PREFIX = '/registry/core/secrets/';

const PAGE_SIZE = 100;
const ATTEMPTS = 5;

/** ReencryptOptions configure reencryptSecrets. */
export interface ReencryptOptions {
  core: ApiCore;
  /** transformer is the secrets transformer in use now (asked per value: the configuration may be reloaded meanwhile). */
  transformer: () => ValueTransformer | undefined;
  logger: Logger;
  signal: AbortSignal;
  /** onProgress is told after every page: secrets looked at, of how many, and how many failed. */
  onProgress(done: number, total: number, failed: number): void;
}

/** ReencryptResult is a finished pass: secrets looked at, rewritten, failed, and the first failure. */
export interface ReencryptResult {
  done: number;
  rewritten: number;
  failed: number;
  firstError?: string;
}

type Outcome = 'current' | 'rewritten' | 'gone';

/** rewrite stores one Secret again under the writing key when its value is stale; conflicts re-read it (bounded). */
async function rewrite(o: ReencryptOptions, first: KeyValue): Promise<Outcome> {
  let kv: KeyValue | undefined = first;
  for (let attempt = 0; attempt < ATTEMPTS && kv; attempt++) {
    const t = o.transformer();
    if (!t) return 'current';
    let stale: boolean;
    try {
      stale = t.fromStorage(kv.value, kv.key).stale;
    } catch (e) {
      throw new Error(`unable to transform key "${kv.key}": ${(e as Error).message}`);
    }
    if (!stale) return 'current';
    const obj = o.core.store.readable(o.core.store.decodeStored(kv));
    const r = await o.core.store.update(kv.key, obj, kv.modRevision);
    if (r.ok) return 'rewritten';
    if (!r.current) return 'gone';
    kv = (await o.core.opts.backend.get(kv.key)).kv;
  }
  if (!kv) return 'gone';
  throw new Error(`Secret ${first.key.slice(SECRETS_PREFIX.length)} kept changing: not rewritten after ${ATTEMPTS} attempts`);
}

/**
 * reencryptSecrets rewrites every Secret whose stored value the writing key did not write (an
 * older key, another provider, plaintext), a page at a time, yielding to other requests between
 * pages. Values already current are left alone, so a second pass costs only reads. A Secret
 * that cannot be read or rewritten is counted as failed and the pass goes on.
 */
export async function reencryptSecrets(o: ReencryptOptions): Promise<ReencryptResult> {
  const backend = o.core.opts.backend;
  const total = (await backend.count(SECRETS_PREFIX)).count;
  const out: ReencryptResult = { done: 0, rewritten: 0, failed: 0 };
  o.onProgress(0, total, 0);
  let startKey = SECRETS_PREFIX;
  for (;;) {
    o.signal.throwIfAborted();
    const page = await backend.list(SECRETS_PREFIX, { startKey, limit: PAGE_SIZE });
    for (const kv of page.kvs) {
      try {
        if ((await rewrite(o, kv)) === 'rewritten') out.rewritten++;
      } catch (e) {
        out.failed++;
        out.firstError ??= (e as Error).message;
        o.logger.error('secrets reencryption: a Secret could not be rewritten', { key: kv.key, err: (e as Error).message });
      }
      out.done++;
    }
    o.onProgress(out.done, Math.max(total, out.done), out.failed);
    const last = page.kvs[page.kvs.length - 1];
    if (!page.more || !last) break;
    startKey = last.key + '\x00';
    await yieldToEvents();
  }
  return out;
}
