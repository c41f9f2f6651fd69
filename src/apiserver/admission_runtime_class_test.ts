import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allResources } from '../api/resources/index.js';
import { validateRuntimeClass } from '../api/resources/node/runtimeclasses.js';
import type { KubeObject } from '../api/types.js';
import type { AdmissionRequest } from './admission.js';
import { runtimeClassAdmission } from './admission_runtime_class.js';

const podsType = allResources().find((t) => t.plural === 'pods' && t.group === '')!;
const gvisor: KubeObject = {
    metadata: { name: 'gvisor' },
    handler: 'runsc',
    overhead: { podFixed: { cpu: '250m', memory: '64Mi' } },
    scheduling: { nodeSelector: { sandbox: 'yes' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] },
};
const classes: Record<string, KubeObject> = { gvisor };
const plugin = runtimeClassAdmission((name) => classes[name]);

async function create(spec: Record<string, unknown>): Promise<KubeObject> {
  const req: AdmissionRequest = { operation: 'CREATE', type: podsType, subresource: '', namespace: 'default', name: 'p', obj: { metadata: { name: 'p' }, spec: { containers: [], ...spec } }, old: undefined, user: { name: 'u', groups: [] }, dryRun: false };
  await plugin.admit?.(req);
  await plugin.validate?.(req);
  return req.obj;
}

test('a missing RuntimeClass is refused with upstream message', async () => {
  await assert.rejects(create({ runtimeClassName: 'nope' }), /pods "p" is forbidden: pod rejected: RuntimeClass "nope" not found/);
});

test('overhead, nodeSelector and tolerations come from the RuntimeClass', async () => {
  const pod = await create({ runtimeClassName: 'gvisor', nodeSelector: { zone: 'a' } });
  assert.deepEqual(pod.spec, {
    containers: [],
    runtimeClassName: 'gvisor',
    overhead: { cpu: '250m', memory: '64Mi' },
    nodeSelector: { zone: 'a', sandbox: 'yes' },
    tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
  });
  await create({ runtimeClassName: 'gvisor', overhead: { cpu: '0.25', memory: '64Mi' } });
});

test('conflicts are refused', async () => {
  await assert.rejects(create({ runtimeClassName: 'gvisor', overhead: { cpu: '1' } }), /Pod's Overhead doesn't match RuntimeClass's defined Overhead/);
  await assert.rejects(create({ runtimeClassName: 'gvisor', nodeSelector: { sandbox: 'no' } }), /conflict: runtimeClass.scheduling.nodeSelector\[sandbox\] = yes; pod.spec.nodeSelector\[sandbox\] = no/);
  await assert.rejects(create({ overhead: { cpu: '1' } }), /Pod Overhead set without corresponding RuntimeClass defined Overhead/);
  assert.deepEqual(await create({}), { metadata: { name: 'p' }, spec: { containers: [] } });
});

test('RuntimeClass validation: handler is a required, immutable DNS label', () => {
  assert.deepEqual(validateRuntimeClass(gvisor), []);
  assert.deepEqual(validateRuntimeClass({ metadata: { name: 'x' } }).map((e) => `${e.type} ${e.field}`), ['FieldValueRequired handler']);
  assert.deepEqual(validateRuntimeClass({ metadata: { name: 'x' }, handler: 'Bad_Handler' }).map((e) => e.field), ['handler']);
  assert.deepEqual(validateRuntimeClass({ ...gvisor, handler: 'runc' }, gvisor).map((e) => e.field), ['handler']);
  assert.deepEqual(validateRuntimeClass({ metadata: { name: 'x' }, handler: 'a', overhead: { podFixed: { cpu: '-1' } } }).map((e) => e.field), ['overhead.podFixed[cpu]']);
});
