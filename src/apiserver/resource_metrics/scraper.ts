// The scrape loop of metrics-server inside the API server: every resolution, every Node's
// /metrics/resource over the API server's kubelet client certificate, bounded in concurrency and
// time, then one store of the whole round.
import { Agent, request } from 'node:https';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/log.js';
import { nodeKubeletLocation, tlsOptions, type KubeletClientOptions, type KubeletLocation } from '../node_proxy/kubelet_client.js';
import { parseResourceMetrics, type MetricsPoint, type NodeBatch } from './resource_text.js';
import type { MetricsStore, Scrape } from './store.js';

/** MAX_BODY_BYTES bounds one node's answer (a kubelet with 110 pods answers well under 1 MiB). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** ScraperOptions configure the scrape loop. */
export interface ScraperOptions {
  store: MetricsStore;
  /** nodes lists the Nodes to scrape (the API server's cache). */
  nodes: () => KubeObject[];
  kubelet: KubeletClientOptions;
  logger: Logger;
  /** resolutionMs: metrics-server's --metric-resolution (default 15 s). */
  resolutionMs?: number;
  /** timeoutMs bounds one node's scrape (default 90 % of the resolution, as metrics-server). */
  timeoutMs?: number;
  /** concurrency: nodes scraped at once (default 32). */
  concurrency?: number;
  now?: () => number;
  /** fetch replaces the HTTPS request, for tests: resolves with the body text. */
  fetch?: (loc: KubeletLocation, signal: AbortSignal) => Promise<string>;
}

/** Scraper runs scrape rounds until its signal aborts. */
export class Scraper {
  private readonly agent: Agent;
  private readonly resolutionMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly now: () => number;

  constructor(private readonly opts: ScraperOptions) {
    this.resolutionMs = opts.resolutionMs ?? 15_000;
    this.timeoutMs = opts.timeoutMs ?? Math.floor(this.resolutionMs * 0.9);
    this.concurrency = Math.max(1, opts.concurrency ?? 32);
    this.now = opts.now ?? Date.now;
    // Connections stay open between rounds: one TLS handshake per node, not one per scrape.
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, timeout: this.resolutionMs * 4 });
  }

  /** run scrapes at once, then every resolution (a round never overlaps the next); resolves when signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.now();
      await this.scrapeOnce(signal);
      const wait = Math.max(0, this.resolutionMs - (this.now() - started));
      await sleep(wait, signal);
    }
    this.agent.destroy();
  }

  /** scrapeOnce scrapes every node once and stores the round. */
  async scrapeOnce(signal: AbortSignal): Promise<Scrape> {
    const nodes = this.opts.nodes();
    const round: Scrape = { nodes: new Map<string, MetricsPoint>(), pods: [] };
    let failed = 0;
    let firstError = '';
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < nodes.length && !signal.aborted) {
        const node = nodes[next++]!;
        const name = node.metadata.name ?? '';
        try {
          const batch = await this.scrapeNode(node, signal);
          if (batch.node) round.nodes.set(name, batch.node);
          for (const p of batch.pods) round.pods.push(p);
        } catch (e) {
          failed++;
          firstError ||= `${name}: ${(e as Error).message}`;
          this.opts.logger.debug('failed to scrape node', { node: name, err: (e as Error).message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, nodes.length) }, worker));
    if (signal.aborted) return round;
    this.opts.store.store(round);
    if (failed) this.opts.logger.info('scrape round left nodes out', { nodes: nodes.length, failed, firstError });
    return round;
  }

  private async scrapeNode(node: KubeObject, signal: AbortSignal): Promise<NodeBatch> {
    const loc = nodeKubeletLocation(node);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const both = AbortSignal.any([signal, timeout]);
    const scrapedAt = this.now();
    const text = await (this.opts.fetch ?? ((l, s) => this.get(l, s)))(loc, both);
    return parseResourceMetrics(text, scrapedAt);
  }

  private get(loc: KubeletLocation, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ ...tlsOptions(this.opts.kubelet, loc), method: 'GET', path: '/metrics/resource', agent: this.agent, signal, headers: { Accept: 'text/plain' } });
      req.once('error', reject);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (b: Buffer) => {
          size += b.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer over ${MAX_BODY_BYTES} bytes`));
          else chunks.push(b);
        });
        res.once('error', reject);
        res.once('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`request failed, status: "${res.statusCode ?? 0} ${res.statusMessage ?? ''}"`));
          else resolve(body);
        });
      });
      req.end();
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
