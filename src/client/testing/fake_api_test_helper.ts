import { ApiCore } from '../../apiserver/core.js';
import { InProcessTransport } from '../../apiserver/in_process.js';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { allResources } from '../../api/resources/index.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { Client } from '../client.js';

/**
 * fakeApi builds a real API server core over in-memory storage and returns a Client that talks
 * to it in-process as a cluster admin (for tests only), with the namespaces every cluster has
 * (default, kube-system, kube-public, kube-node-lease). stop() ends its watches and caches.
 */
export async function fakeApi(opts: { clock?: Clock } = {}): Promise<{ client: Client; core: unknown; stop(): void }> {
  const core = new ApiCore({ backend: new MemoryBackend(), resources: allResources(), clock: opts.clock ?? realClock, logger: silentLogger, admission: [] });
  await core.start();
  const client = new Client(new InProcessTransport(core, { name: 'test', groups: ['system:masters'] }));
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return { client, core, stop: () => core.stop() };
}
