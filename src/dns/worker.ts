// The cluster DNS worker thread: serves queries from a zone the main thread keeps up to date by sending each object's changed records.
import { parentPort, workerData } from 'node:worker_threads';
import { ClusterRecords, type ZoneChange } from './records.js';
import { AnswerCache, serveDNS, type Upstream, type WorkerMessage } from './server.js';

const data = workerData as { domain: string; listen: { host: string; port: number }; upstreams: Upstream[] };
const port = parentPort!;
const tell = (m: WorkerMessage): void => port.postMessage(m);
const zone = new ClusterRecords(data.domain);
const cache = new AnswerCache();
port.on('message', (changes: ZoneChange[]) => {
  zone.apply(changes);
  cache.clear();
});
serveDNS({ zone, cache, listen: data.listen, upstreams: data.upstreams, warn: (message) => tell({ type: 'warn', message }) }).then(
  (s) => tell({ type: 'listening', port: s.port }),
  (e: Error) => {
    tell({ type: 'failed', message: e.message });
    process.exit(1);
  },
);
