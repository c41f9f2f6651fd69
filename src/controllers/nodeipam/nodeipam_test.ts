import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import { field, str } from '../../api/object.js';
import { startNodeIpamController } from './index.js';
import { startHarness } from '../namespace/harness_test_helper.js';

test('nodes get pod CIDRs in sequence; existing ones are kept; deleted ones are reused', async () => {
  const h = await startHarness([startNodeIpamController], {
    seed: async (c) => {
      await c.resource(R.nodes).create('', { metadata: { name: 'old' }, spec: { podCIDR: '10.42.1.0/24', podCIDRs: ['10.42.1.0/24'] } });
    },
  });
  const nodes = h.client.resource(R.nodes);
  const cidrOf = async (name: string): Promise<string | undefined> => str(await nodes.get('', name), 'spec', 'podCIDR');
  const allocated = (name: string) => async () => (await cidrOf(name)) !== undefined;
  try {
    for (const name of ['a', 'b', 'c']) {
      await nodes.create('', { metadata: { name } });
      await h.waitFor(allocated(name), `pod CIDR of ${name}`);
    }
    assert.deepEqual([await cidrOf('a'), await cidrOf('b'), await cidrOf('c'), await cidrOf('old')], ['10.42.0.0/24', '10.42.2.0/24', '10.42.3.0/24', '10.42.1.0/24']);
    assert.deepEqual(field(await nodes.get('', 'b'), 'spec', 'podCIDRs'), ['10.42.2.0/24']);
    await nodes.delete('', 'b');
    // Once the informer saw the delete, b's key is queued ahead of d's (one worker, FIFO).
    await h.waitFor(() => h.ctx.informers.forResource(R.nodes).get('b') === undefined, 'informer saw the delete');
    await nodes.create('', { metadata: { name: 'd' } });
    await h.waitFor(allocated('d'), 'pod CIDR of d');
    assert.equal(await cidrOf('d'), '10.42.2.0/24');
  } finally {
    await h.stop();
  }
});
