import type { Logger } from '../../lib/log.js';
import { CompactedError, type WatchCallbacks, type WatchEvent, type WatchHandle } from '../backend.js';

/** HistorySource is where a WatchHub reads the committed events a new watcher has not seen. */
export interface HistorySource {
  /** history returns up to limit events under prefix with after < revision <= upTo, in revision order. */
  history(prefix: string, after: number, upTo: number, limit: number): WatchEvent[];
  /** compactedRevision is the revision at and below which history is gone. */
  compactedRevision(): number;
}

/** WatchHubOptions configure a WatchHub. */
export interface WatchHubOptions {
  source: HistorySource;
  logger: Logger;
  /** replayChunk is how many history events one replay step reads (default 500). */
  replayChunk?: number;
  /** maxBuffered caps live events held for a replaying watcher before it is dropped (default 100000). */
  maxBuffered?: number;
}

interface Watcher {
  prefix: string;
  /** cursor is the newest revision delivered (or skipped as not matching); later events only. */
  cursor: number;
  state: 'replaying' | 'live' | 'stopped';
  buffered: WatchEvent[];
  callbacks: WatchCallbacks;
}

/**
 * WatchHub fans committed events out to in-process watchers, in revision order. A watcher that
 * starts behind the current revision first replays history from the HistorySource in chunks (one
 * per event-loop turn) while live events queue in its buffer; the cursor makes the hand-over free
 * of gaps and duplicates. Drivers call publish() once per commit, after the commit.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly queue: WatchEvent[][] = [];
  private draining = false;
  private readonly replayChunk: number;
  private readonly maxBuffered: number;

  constructor(private readonly opts: WatchHubOptions) {
    this.replayChunk = opts.replayChunk ?? 500;
    this.maxBuffered = opts.maxBuffered ?? 100_000;
  }

  /** size is the number of active watchers. */
  size(): number {
    return this.watchers.size;
  }

  /** watch registers a watcher for events under prefix after afterRevision; current is the committed revision now. */
  watch(prefix: string, afterRevision: number, current: number, callbacks: WatchCallbacks): WatchHandle {
    const w: Watcher = { prefix, cursor: afterRevision, state: 'live', buffered: [], callbacks };
    this.watchers.add(w);
    if (afterRevision < current) {
      w.state = 'replaying';
      setImmediate(() => this.replayStep(w, current));
    }
    return { stop: () => this.remove(w) };
  }

  /**
   * publish delivers one commit's events (in revision order) to every watcher. Re-entrant calls
   * (a callback that writes) are queued so that every watcher still sees revision order.
   */
  publish(events: WatchEvent[]): void {
    if (events.length === 0) return;
    this.queue.push(events);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) {
        for (const w of this.watchers) this.offer(w, batch);
      }
    } finally {
      this.draining = false;
    }
  }

  /** closeAll ends every watcher with err. */
  closeAll(err: Error): void {
    for (const w of [...this.watchers]) this.fail(w, err);
  }

  private offer(w: Watcher, batch: WatchEvent[]): void {
    if (w.state === 'live') {
      this.deliver(w, batch);
      return;
    }
    if (w.state !== 'replaying') return;
    for (const e of batch) if (e.kv.key.startsWith(w.prefix)) w.buffered.push(e);
    if (w.buffered.length > this.maxBuffered) {
      this.fail(w, new Error(`watch on ${JSON.stringify(w.prefix)} dropped: more than ${this.maxBuffered} events buffered`));
    }
  }

  private replayStep(w: Watcher, upTo: number): void {
    if (w.state !== 'replaying') return;
    const compacted = this.opts.source.compactedRevision();
    // Compaction may have run since the watch started: the events it needs could be gone.
    if (w.cursor < compacted) return this.fail(w, new CompactedError(w.cursor, compacted));
    let events: WatchEvent[];
    try {
      events = this.opts.source.history(w.prefix, w.cursor, upTo, this.replayChunk);
    } catch (err) {
      return this.fail(w, err instanceof Error ? err : new Error(String(err)));
    }
    this.deliver(w, events);
    if (events.length >= this.replayChunk) {
      setImmediate(() => this.replayStep(w, upTo));
      return;
    }
    if (w.state !== 'replaying') return;
    w.cursor = Math.max(w.cursor, upTo);
    w.state = 'live';
    const buffered = w.buffered;
    w.buffered = [];
    this.deliver(w, buffered);
  }

  private deliver(w: Watcher, batch: WatchEvent[]): void {
    const out: WatchEvent[] = [];
    for (const e of batch) {
      if (e.kv.modRevision > w.cursor && e.kv.key.startsWith(w.prefix)) out.push(e);
    }
    const last = out[out.length - 1];
    if (!last || w.state === 'stopped') return;
    w.cursor = last.kv.modRevision;
    try {
      w.callbacks.onEvents(out);
    } catch (err) {
      this.opts.logger.warn('watch callback threw; stopping the watch', { prefix: w.prefix, error: String(err) });
      this.fail(w, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private remove(w: Watcher): void {
    w.state = 'stopped';
    w.buffered = [];
    this.watchers.delete(w);
  }

  private fail(w: Watcher, err: Error): void {
    if (w.state === 'stopped') return;
    this.remove(w);
    try {
      w.callbacks.onError(err);
    } catch (cbErr) {
      this.opts.logger.warn('watch onError callback threw', { prefix: w.prefix, error: String(cbErr) });
    }
  }
}
