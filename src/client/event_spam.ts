import type { Clock } from '../lib/clock.js';

/** SPAM_BURST and SPAM_REFILL_MS are client-go's defaults: 25 events per source and object, then one per 5 minutes. */
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;

/** MAX_TRACKED_OBJECTS bounds the filter's memory, as client-go's LRU of 4096 entries. */
const MAX_TRACKED_OBJECTS = 4096;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * EventSpamFilter is client-go's EventSourceObjectSpamFilter: a token bucket per involved object
 * (one recorder is one source), so a controller that creates a thousand pods for one ReplicaSet
 * writes 25 Events about it, not a thousand. Past MAX_TRACKED_OBJECTS the oldest object is forgotten.
 */
export class EventSpamFilter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly burst = SPAM_BURST,
    private readonly refillMs = SPAM_REFILL_MS,
  ) {}

  /** allow takes a token for the object key and tells whether its event may be written. */
  allow(objectKey: string): boolean {
    const now = this.clock.now();
    const b = this.buckets.get(objectKey);
    let tokens = this.burst;
    if (b) {
      tokens = Math.min(this.burst, b.tokens + (now - b.at) / this.refillMs);
      this.buckets.delete(objectKey); // re-inserted below: Map order is least recently used first
    } else if (this.buckets.size >= MAX_TRACKED_OBJECTS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    const ok = tokens >= 1;
    this.buckets.set(objectKey, { tokens: ok ? tokens - 1 : tokens, at: now });
    return ok;
  }
}
