import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import type { LegacyTokenClaims } from '../context.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';
import { startServiceAccountTokenController } from './index.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const decode = (s: KubeObject, k: string): string | undefined => {
  const v = (s.data as Record<string, string> | undefined)?.[k];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
};

test('a service-account-token Secret is filled with a token, ca.crt and namespace; it goes with its account', async () => {
  const signed: LegacyTokenClaims[] = [];
  const signLegacyToken = (c: LegacyTokenClaims): Promise<string> => {
    signed.push(c);
    return Promise.resolve(`jwt-for-${c.serviceAccountName}-${c.secretName}`);
  };
  const h = await startHarness([startServiceAccountTokenController], { config: { rootCAPem: CA, signLegacyToken } });
  const secrets = h.client.resource(R.secrets);
  const accounts = h.client.resource(R.serviceaccounts);
  try {
    await h.client.resource(R.namespaces).create('', { metadata: { name: 'shop' } });
    const sa = await accounts.create('shop', { metadata: { name: 'builder' } });
    await secrets.create('shop', { metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } }, type: 'kubernetes.io/service-account-token' });
    await h.waitFor(async () => decode(await secrets.get('shop', 'builder-token'), 'token') !== undefined, 'token filled in');
    const s = await secrets.get('shop', 'builder-token');
    assert.equal(decode(s, 'token'), 'jwt-for-builder-builder-token');
    assert.equal(decode(s, 'ca.crt'), CA);
    assert.equal(decode(s, 'namespace'), 'shop');
    assert.equal(s.metadata.annotations?.['kubernetes.io/service-account.uid'], sa.metadata.uid);
    assert.deepEqual(signed[0], { namespace: 'shop', serviceAccountName: 'builder', serviceAccountUID: sa.metadata.uid, secretName: 'builder-token' });
    // Other Secrets are left alone; a token Secret for an account that does not exist is removed.
    await secrets.create('shop', { metadata: { name: 'plain' }, data: { a: 'Yg==' } });
    await secrets.create('shop', { metadata: { name: 'orphan', annotations: { 'kubernetes.io/service-account.name': 'ghost' } }, type: 'kubernetes.io/service-account-token' });
    await h.waitFor(async () => !(await exists(secrets.get('shop', 'orphan'))), 'token Secret of a missing account deleted');
    // Deleting the account deletes its token Secrets.
    await accounts.delete('shop', 'builder');
    await h.waitFor(async () => !(await exists(secrets.get('shop', 'builder-token'))), 'token Secret deleted with its account');
    assert.equal(await exists(secrets.get('shop', 'plain')), true);
    assert.equal(signed.length, 1, 'one token signed');
  } finally {
    await h.stop();
  }
});
