import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import { startPodGCController } from './index.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';

const pod = (name: string, nodeName: string): { metadata: { name: string }; spec: Record<string, unknown> } => ({ metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] } });

test('pods of missing or deleted nodes are force-deleted; pods of live nodes are left alone', async () => {
  const h = await startHarness([startPodGCController], {
    seed: async (c) => {
      await c.resource(R.nodes).create('', { metadata: { name: 'n1' } });
      await c.resource(R.nodes).create('', { metadata: { name: 'n2' } });
      await c.resource(R.pods).create('default', pod('orphan', 'ghost'));
      await c.resource(R.pods).create('default', pod('live', 'n1'));
      await c.resource(R.pods).create('default', pod('stuck', 'n1'));
      await c.resource(R.pods).create('default', pod('doomed', 'n2'));
    },
  });
  const pods = h.client.resource(R.pods);
  try {
    await h.waitFor(async () => !(await exists(pods.get('default', 'orphan'))), 'orphan removed at start');
    await pods.create('default', pod('late-orphan', 'ghost'));
    await h.waitFor(async () => !(await exists(pods.get('default', 'late-orphan'))), 'new orphan removed');
    // A terminating pod on an existing node waits for its kubelet.
    await pods.delete('default', 'stuck');
    await pods.delete('default', 'doomed');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await pods.get('default', 'stuck')).metadata.deletionTimestamp);
    // Its node deleted, nothing will confirm: force-deleted.
    await h.client.resource(R.nodes).delete('', 'n2');
    await h.waitFor(async () => !(await exists(pods.get('default', 'doomed'))), 'pod of deleted node removed');
    assert.equal(await exists(pods.get('default', 'live')), true);
    assert.equal(await exists(pods.get('default', 'stuck')), true);
  } finally {
    await h.stop();
  }
});
