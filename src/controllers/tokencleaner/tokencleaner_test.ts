import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import { bootstrapTokenSecret, type BootstrapToken } from '../../pki/index.js';
import { startTokenCleaner } from './index.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';

const token = (id: string, expiresAt?: number): KubeObject => {
  const t: BootstrapToken = { id, secret: '0123456789abcdef', usages: ['authentication'], groups: [], description: '' };
  if (expiresAt !== undefined) t.expiresAt = expiresAt;
  return bootstrapTokenSecret(t) as KubeObject;
};

test('expired bootstrap tokens are deleted, at their expiration; others stay', async () => {
  const h = await startHarness([startTokenCleaner], {
    seed: async (c) => {
      await c.resource(R.secrets).create('kube-system', token('past01', Date.now() - 60_000));
      await c.resource(R.secrets).create('kube-system', token('never1'));
      await c.resource(R.secrets).create('kube-system', token('later1', Date.now() + 3_600_000));
      // Not a bootstrap token, even if it looks like one.
      await c.resource(R.secrets).create('kube-system', { ...token('opaque'), type: 'Opaque' } as KubeObject);
    },
  });
  const secrets = h.client.resource(R.secrets);
  try {
    await h.waitFor(async () => !(await exists(secrets.get('kube-system', 'bootstrap-token-past01'))), 'expired token removed at start');
    // A second precision: the expiration is written in whole seconds.
    await secrets.create('kube-system', token('soon01', Date.now() + 1000));
    assert.equal(await exists(secrets.get('kube-system', 'bootstrap-token-soon01')), true);
    await h.waitFor(async () => !(await exists(secrets.get('kube-system', 'bootstrap-token-soon01'))), 'token removed once it expired');
    for (const name of ['bootstrap-token-never1', 'bootstrap-token-later1', 'bootstrap-token-opaque']) assert.equal(await exists(secrets.get('kube-system', name)), true, name);
  } finally {
    await h.stop();
  }
});
