import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import { startServiceAccountController } from './index.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';

test('every active namespace gets a default ServiceAccount, recreated when deleted', async () => {
  const h = await startHarness([startServiceAccountController], {
    seed: async (c) => {
      await c.resource(R.namespaces).create('', { metadata: { name: 'early' } });
    },
  });
  const sa = h.client.resource(R.serviceaccounts);
  const hasDefault = (ns: string) => () => exists(sa.get(ns, 'default'));
  try {
    await h.waitFor(hasDefault('early'), 'default SA in a namespace that existed at start');
    await h.waitFor(hasDefault('kube-system'), 'default SA in kube-system');
    await h.client.resource(R.namespaces).create('', { metadata: { name: 'late' } });
    await h.waitFor(hasDefault('late'), 'default SA in a new namespace');
    const first = await sa.get('late', 'default');
    await sa.delete('late', 'default');
    await h.waitFor(async () => (await exists(sa.get('late', 'default'))) && (await sa.get('late', 'default')).metadata.uid !== first.metadata.uid, 'default SA recreated');
    // Other ServiceAccounts are not the controller's business.
    await sa.create('late', { metadata: { name: 'builder' } });
    await sa.delete('late', 'builder');
    assert.equal(await exists(sa.get('late', 'builder')), false);
  } finally {
    await h.stop();
  }
});
