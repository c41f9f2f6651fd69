import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { EnvConfigError, resolveEnv, type EnvContext } from './env.js';
import { expandVars } from './expand.js';

const pod: KubeObject = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' }, annotations: { note: 'hi' } },
  spec: { nodeName: 'node1', serviceAccountName: 'builder', containers: [{ name: 'main', resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } }] },
};
const mainContainer = (pod['spec'] as { containers: Record<string, unknown>[] }).containers[0];
const objects: Record<string, KubeObject> = {
  'ConfigMap/cfg': { metadata: { name: 'cfg' }, data: { MODE: 'fast', 'bad key': 'x' } },
  'Secret/creds': { metadata: { name: 'creds' }, data: { PASSWORD: Buffer.from('s3cret').toString('base64') } },
};
const ctx: EnvContext = {
  pod,
  podIP: '10.42.0.7',
  hostIP: '192.168.1.10',
  allocatable: { cpu: 4, memory: 8 * 2 ** 30 },
  getConfigMap: (_ns, name) => Promise.resolve(objects[`ConfigMap/${name}`]),
  getSecret: (_ns, name) => Promise.resolve(objects[`Secret/${name}`]),
  serviceEnv: () => ({ KUBERNETES_SERVICE_HOST: '10.43.0.1', DB_SERVICE_HOST: '10.43.0.9' }),
};

test('resolveEnv resolves each source kind', async () => {
  const cases: { name: string; env: unknown; want: string | undefined }[] = [
    { name: 'literal', env: { name: 'X', value: 'v' }, want: 'v' },
    { name: 'expansion of service var', env: { name: 'X', value: 'http://$(DB_SERVICE_HOST):80' }, want: 'http://10.43.0.9:80' },
    { name: 'escaped', env: { name: 'X', value: '$$(DB_SERVICE_HOST)' }, want: '$(DB_SERVICE_HOST)' },
    { name: 'unknown ref stays', env: { name: 'X', value: '$(NOPE)' }, want: '$(NOPE)' },
    { name: 'metadata.name', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, want: 'web' },
    { name: 'metadata.namespace', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, want: 'shop' },
    { name: 'metadata.uid', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }, want: 'u1' },
    { name: 'label', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }, want: 'web' },
    { name: 'annotation', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } }, want: 'hi' },
    { name: 'nodeName', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, want: 'node1' },
    { name: 'serviceAccountName', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } }, want: 'builder' },
    { name: 'podIP', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, want: '10.42.0.7' },
    { name: 'hostIP', env: { name: 'X', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }, want: '192.168.1.10' },
    { name: 'limits.cpu rounds up', env: { name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }, want: '1' },
    { name: 'requests.cpu in millicores', env: { name: 'X', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } }, want: '250' },
    { name: 'limits.memory in Mi', env: { name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }, want: '128' },
    { name: 'configMapKeyRef', env: { name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } }, want: 'fast' },
    { name: 'secretKeyRef', env: { name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } }, want: 's3cret' },
    { name: 'optional missing key', env: { name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE', optional: true } } }, want: undefined },
    { name: 'optional missing configmap', env: { name: 'X', valueFrom: { configMapKeyRef: { name: 'gone', key: 'A', optional: true } } }, want: undefined },
  ];
  for (const c of cases) {
    const env = await resolveEnv(ctx, { ...mainContainer, env: [c.env] });
    assert.equal(env.find((e) => e.key === 'X')?.value, c.want, c.name);
  }
});

test('resolveEnv: envFrom with prefix, env overrides, service vars last, errors', async () => {
  const env = await resolveEnv(ctx, { envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }], env: [{ name: 'PASSWORD', value: 'override' }, { name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }] });
  assert.deepEqual(env, [
    { key: 'CFG_MODE', value: 'fast' },
    { key: 'PASSWORD', value: 'override' },
    { key: 'KUBERNETES_SERVICE_HOST', value: 'mine' },
    { key: 'DB_SERVICE_HOST', value: '10.43.0.9' },
  ]);
  await assert.rejects(resolveEnv(ctx, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'gone', key: 'A' } } }] }), (e: Error) => e instanceof EnvConfigError && e.message === 'configmap "gone" not found');
  await assert.rejects(resolveEnv(ctx, { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'USER' } } }] }), { message: "couldn't find key USER in Secret shop/creds" });
  await assert.rejects(resolveEnv(ctx, { envFrom: [{ secretRef: { name: 'gone' } }] }), { message: 'secret "gone" not found' });
  assert.deepEqual(await resolveEnv(ctx, { envFrom: [{ secretRef: { name: 'gone', optional: true } }] }), [
    { key: 'KUBERNETES_SERVICE_HOST', value: '10.43.0.1' },
    { key: 'DB_SERVICE_HOST', value: '10.43.0.9' },
  ]);
});

test('expandVars handles escapes and unterminated references', () => {
  const look = (n: string): string | undefined => ({ A: '1' })[n];
  const cases: [string, string][] = [['$(A)-$(A)', '1-1'], ['$$(A)', '$(A)'], ['$(A', '$(A'], ['a$b', 'a$b'], ['$', '$'], ['$$$(A)', '$1']];
  for (const [input, want] of cases) assert.equal(expandVars(input, look), want, input);
});
