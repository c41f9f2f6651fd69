import type { Client } from '../../client/client.js';
import type { Logger } from '../../lib/log.js';
import type { Graph } from './graph.js';

/** GcDeps is what the collector's syncs use: the graph of caches, a client for live reads, the queue. */
export interface GcDeps {
  graph: Graph;
  client: Client;
  logger: Logger;
  /** enqueue adds a work-queue key (dependentKey / ownerKey). */
  enqueue(key: string): void;
}
