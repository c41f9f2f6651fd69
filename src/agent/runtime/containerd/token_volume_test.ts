import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { harness, testPod } from './harness_test_helper.js';
import type { TokenFor } from './token_manager.js';
import { volumeDir } from './names.js';

const API_VOLUME = {
  name: 'kube-api-access-abcde',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

test('the kube-api-access volume: a pod-bound token written atomically, renewed at 80 %, no longer asked for once the pod is gone', async () => {
  const asked: TokenFor[] = [];
  const h = harness({
    volumeRefreshMs: 60_000,
    getConfigMap: (_ns, name) => Promise.resolve(name === 'kube-root-ca.crt' ? ({ metadata: { name }, data: { 'ca.crt': 'CA PEM' } } as KubeObject) : undefined),
    serviceAccountToken: (req) => {
      asked.push(req);
      return Promise.resolve({ token: `token-${asked.length}`, expiresAt: h.clock.now() + req.expirationSeconds * 1000, expirationSeconds: req.expirationSeconds });
    },
  });
  try {
    h.cri.images.add('busybox:1.36');
    const pod = testPod({ serviceAccountName: 'builder', volumes: [API_VOLUME], containers: [{ name: 'main', image: 'busybox:1.36', volumeMounts: [{ name: API_VOLUME.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] });
    await h.rt.startPod(pod);
    await h.settle();
    await h.step(1000);
    const dir = volumeDir(h.dataDir, 'uid-web', 'projected', API_VOLUME.name);
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'token-1');
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), 'CA PEM');
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'default');
    assert.equal(readlinkSync(join(dir, 'token')), '..data/token');
    assert.deepEqual(asked[0], { namespace: 'default', serviceAccountName: 'builder', podName: 'web', podUID: 'uid-web', audience: '', expirationSeconds: 3607 });
    // 80 % of 3607 s is 2885.6 s; volumes are refreshed every minute.
    await h.step(2820_000);
    assert.equal(asked.length, 1);
    await h.step(120_000);
    assert.equal(asked.length, 2);
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'token-2');
    await h.rt.stopPod(pod, 0);
    await h.step(5000);
    assert.equal(existsSync(dir), false);
    await h.step(3600_000);
    assert.equal(asked.length, 2, 'no token for a pod that is gone');
  } finally {
    h.cleanup();
  }
});
