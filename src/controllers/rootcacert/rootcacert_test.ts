import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import { ROOT_CA_CONFIGMAP, startRootCACertPublisher } from './index.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('every active namespace gets kube-root-ca.crt with the API server CA, recreated and put back', async () => {
  const h = await startHarness([startRootCACertPublisher], { config: { rootCAPem: CA } });
  const cms = h.client.resource(R.configmaps);
  const caOf = async (ns: string): Promise<string | undefined> => ((await cms.get(ns, ROOT_CA_CONFIGMAP)) as { data?: Record<string, string> }).data?.['ca.crt'];
  try {
    await h.waitFor(() => exists(cms.get('default', ROOT_CA_CONFIGMAP)), 'kube-root-ca.crt in default');
    assert.equal(await caOf('default'), CA);
    const cm = await cms.get('default', ROOT_CA_CONFIGMAP);
    assert.match(cm.metadata.annotations?.['kubernetes.io/description'] ?? '', /verify the kube-apiserver/);
    await h.client.resource(R.namespaces).create('', { metadata: { name: 'late' } });
    await h.waitFor(() => exists(cms.get('late', ROOT_CA_CONFIGMAP)), 'kube-root-ca.crt in a new namespace');
    await cms.delete('late', ROOT_CA_CONFIGMAP);
    await h.waitFor(() => exists(cms.get('late', ROOT_CA_CONFIGMAP)), 'kube-root-ca.crt recreated');
    const edited = await cms.get('late', ROOT_CA_CONFIGMAP);
    await cms.update({ ...edited, data: { 'ca.crt': 'tampered', extra: 'x' } } as KubeObject);
    await h.waitFor(async () => (await caOf('late')) === CA, 'kube-root-ca.crt put back');
    assert.deepEqual(Object.keys(((await cms.get('late', ROOT_CA_CONFIGMAP)) as unknown as { data: object }).data), ['ca.crt']);
  } finally {
    await h.stop();
  }
});
