import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { silentLogger } from '../../lib/log.js';
import { Scraper } from './scraper.js';
import { MetricsStore } from './store.js';

const node = (name: string, port: number): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: '10.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } });

test('Scraper bounds concurrency and time per node, and drops the nodes that fail', async () => {
  const nodes = Array.from({ length: 6 }, (_, i) => node(`n${i}`, 10250 + i));
  let inFlight = 0;
  let peak = 0;
  const asked: string[] = [];
  const scraper = new Scraper({
    store: new MetricsStore(15_000),
    nodes: () => nodes,
    kubelet: { certPem: '', keyPem: '' },
    logger: silentLogger,
    concurrency: 2,
    timeoutMs: 50,
    now: () => 7_000,
    fetch: (loc, signal) => {
      asked.push(`${loc.host}:${loc.port}`);
      inFlight++;
      peak = Math.max(peak, inFlight);
      return new Promise<string>((resolve, reject) => {
        const done = (): void => {
          inFlight--;
        };
        // n3 never answers: only the per-node timeout ends it.
        if (loc.port === 10253) {
          signal.addEventListener('abort', () => (done(), reject(new Error('aborted'))));
          return;
        }
        setTimeout(() => (done(), resolve(`node_cpu_usage_seconds_total ${loc.port} \nnode_memory_working_set_bytes 4096\n`)), 5);
      });
    },
  });
  // AbortSignal.timeout's timer does not hold the event loop open (a server's sockets do).
  const keepAlive = setInterval(() => {}, 1000);
  const round = await scraper.scrapeOnce(new AbortController().signal).finally(() => clearInterval(keepAlive));
  assert.equal(peak, 2);
  // InternalIP first (kube-apiserver's and k3s's preference), the advertised port.
  assert.deepEqual(asked.sort(), nodes.map((_, i) => `10.0.0.1:${10250 + i}`));
  assert.deepEqual([...round.nodes.keys()].sort(), ['n0', 'n1', 'n2', 'n4', 'n5']);
  assert.equal(round.nodes.get('n0')?.timestampMs, 7_000, 'samples without a timestamp take the scrape time');
});
