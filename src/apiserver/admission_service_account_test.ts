import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pods } from '../api/resources/core/pods.js';
import type { KubeObject } from '../api/types.js';
import type { AdmissionRequest } from './admission.js';
import { serviceAccountAdmission, tokenVolumeSource } from './admission_service_account.js';

const MOUNT = { name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

function plugin(accounts: Record<string, KubeObject>, appearsAfter = 0) {
  let freshReads = 0;
  const sleeps: number[] = [];
  const p = serviceAccountAdmission({
    serviceAccount: (ns, name, fresh) => {
      if (fresh) freshReads++;
      const ready = freshReads > appearsAfter || !appearsAfter;
      return Promise.resolve(ready ? accounts[`${ns}/${name}`] : undefined);
    },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    nameSuffix: () => 'abcde',
  });
  return { p, sleeps, freshReads: () => freshReads };
}

function createReq(spec: Record<string, unknown>, meta: Partial<KubeObject['metadata']> = {}): AdmissionRequest {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', ...meta }, spec };
  return { operation: 'CREATE', type: pods, subresource: '', namespace: 'shop', name: 'web', obj, old: undefined, user: { name: 'alice', groups: [] }, dryRun: false };
}

async function admit(p: ReturnType<typeof plugin>['p'], req: AdmissionRequest): Promise<Record<string, unknown>> {
  await p.admit?.(req);
  await p.validate?.(req);
  return req.obj.spec as Record<string, unknown>;
}

const sa = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name, namespace: 'shop', uid: `uid-${name}` }, ...extra });

test('pods run as default and get the kube-api-access volume in every container', async () => {
  const { p } = plugin({ 'shop/default': sa('default', { imagePullSecrets: [{ name: 'regcred' }] }) });
  const spec = await admit(p, createReq({ initContainers: [{ name: 'init' }], containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'own', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }], volumes: [{ name: 'own', emptyDir: {} }] }));
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  assert.deepEqual(spec.initContainers, [{ name: 'init', volumeMounts: [MOUNT] }]);
  assert.deepEqual(spec.containers, [{ name: 'a', volumeMounts: [MOUNT] }, { name: 'b', volumeMounts: [{ name: 'own', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }]);
  assert.deepEqual(spec.volumes, [{ name: 'own', emptyDir: {} }, { name: 'kube-api-access-abcde', projected: tokenVolumeSource() }]);
  assert.deepEqual(spec.imagePullSecrets, [{ name: 'regcred' }]);
  assert.deepEqual(tokenVolumeSource(), {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  });
});

test('automountServiceAccountToken: the pod wins over the account', async () => {
  const cases: [boolean | undefined, boolean | undefined, boolean][] = [
    [undefined, undefined, true],
    [undefined, false, false],
    [true, false, true],
    [false, true, false],
  ];
  for (const [podSetting, saSetting, mounted] of cases) {
    const { p } = plugin({ 'shop/builder': sa('builder', saSetting === undefined ? {} : { automountServiceAccountToken: saSetting }) });
    const spec = await admit(p, createReq({ serviceAccountName: 'builder', containers: [{ name: 'a' }], ...(podSetting === undefined ? {} : { automountServiceAccountToken: podSetting }) }));
    assert.equal(Array.isArray(spec.volumes), mounted, `pod ${String(podSetting)} sa ${String(saSetting)}`);
  }
});

test('a missing service account is refused; default is waited for while the controller creates it', async () => {
  const missing = plugin({});
  await assert.rejects(admit(missing.p, createReq({ serviceAccountName: 'ghost', containers: [{ name: 'a' }] }, { name: '', generateName: 'web-' })), {
    message: 'pods "web-" is forbidden: error looking up service account shop/ghost: serviceaccount "ghost" not found',
  });
  assert.equal(missing.freshReads(), 1, 'one live look-up for other accounts');
  await assert.rejects(admit(missing.p, createReq({ containers: [{ name: 'a' }] })), { message: 'pods "web" is forbidden: error looking up service account shop/default: serviceaccount "default" not found' });
  assert.equal(missing.sleeps.length, 9, 'ten look-ups for default');
  const late = plugin({ 'shop/default': sa('default') }, 3);
  const spec = await admit(late.p, createReq({ containers: [{ name: 'a' }] }));
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(late.sleeps.length, 3);
});

test('an existing kube-api-access volume is reused; mirror pods are not touched and may not use accounts', async () => {
  const { p } = plugin({ 'shop/default': sa('default') });
  const spec = await admit(p, createReq({ containers: [{ name: 'a' }], volumes: [{ name: 'kube-api-access-zzzzz', projected: { sources: [] } }] }));
  assert.deepEqual(spec.volumes, [{ name: 'kube-api-access-zzzzz', projected: { sources: [] } }]);
  assert.deepEqual(spec.containers, [{ name: 'a', volumeMounts: [{ ...MOUNT, name: 'kube-api-access-zzzzz' }] }]);
  const mirror = { annotations: { 'kubernetes.io/config.mirror': 'abc' } };
  const plain = await admit(p, createReq({ containers: [{ name: 'a' }] }, mirror));
  assert.deepEqual(plain, { containers: [{ name: 'a' }] });
  await assert.rejects(admit(p, createReq({ serviceAccountName: 'default', containers: [{ name: 'a' }] }, mirror)), { message: 'pods "web" is forbidden: a mirror pod may not reference service accounts' });
  await assert.rejects(admit(p, createReq({ containers: [{ name: 'a', envFrom: [{ secretRef: { name: 's' } }] }] }, mirror)), { message: 'pods "web" is forbidden: a mirror pod may not reference secrets' });
  // Updates and other resources are not this plugin's business.
  const update = { ...createReq({ containers: [{ name: 'a' }] }), operation: 'UPDATE' as const };
  assert.deepEqual(await admit(p, update), { containers: [{ name: 'a' }] });
});
