import type { KubeObject } from '../../api/types.js';
import { R, type Client } from '../../client/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { sleep } from '../../lib/sleep.js';
import { mergeNodeForRestart } from './node_object.js';

/**
 * registerNode creates the Node, or, when one of that name exists (the agent restarted), folds the
 * agent's labels and taints into it and reuses it. Failures (server not up yet, conflicts) are
 * retried with backoff until the signal aborts, which rejects.
 */
export async function registerNode(client: Client, wanted: KubeObject, opts: { clock: Clock; logger: Logger; signal: AbortSignal }): Promise<KubeObject> {
  const nodes = client.resource(R.nodes);
  const name = wanted.metadata.name ?? '';
  let backoff = 200;
  while (!opts.signal.aborted) {
    try {
      return await nodes.create('', wanted);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) {
        opts.logger.warn('unable to register node with the API server; retrying', { node: name, err: (e as Error).message });
        await sleep(opts.clock, backoff, opts.signal);
        backoff = Math.min(backoff * 2, 7_000);
        continue;
      }
    }
    try {
      const existing = await nodes.get('', name);
      const merged = mergeNodeForRestart(existing, wanted);
      const node = merged ? await nodes.update(merged) : existing;
      opts.logger.info('node was previously registered', { node: name });
      return node;
    } catch (e) {
      opts.logger.debug('reusing the registered node failed; retrying', { node: name, err: (e as Error).message });
      await sleep(opts.clock, backoff, opts.signal);
    }
  }
  throw new Error(`registration of node ${name} aborted`);
}
