import type { Logger } from '../lib/log.js';
import type { Client, GroupVersionResource } from './client.js';
import { Informer, type IndexFunc } from './informer.js';

/**
 * SharedInformers hands out one Informer per resource, so every controller in a process shares
 * one list+watch and one cache per resource. Call start() after all controllers registered.
 */
export class SharedInformers {
  private informers = new Map<string, Informer>();
  private started = false;
  private signal: AbortSignal | undefined;

  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  /** forResource returns the shared informer of a resource; indexers are merged on first use. */
  forResource(gvr: GroupVersionResource, indexers: Record<string, IndexFunc> = {}): Informer {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer({ client: this.client.resource(gvr), logger: this.logger.child(`informer/${gvr.resource}`), indexers });
      this.informers.set(key, inf);
      if (this.started && this.signal) void inf.run(this.signal);
    } else if (Object.keys(indexers).length) {
      inf.addIndexers(indexers);
    }
    return inf;
  }

  /** start runs every informer until the signal aborts. */
  start(signal: AbortSignal): void {
    this.started = true;
    this.signal = signal;
    for (const inf of this.informers.values()) void inf.run(signal);
  }

  /** waitForSync resolves when every informer has listed once. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }
}
