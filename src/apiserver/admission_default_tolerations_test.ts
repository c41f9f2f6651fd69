import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { allResources } from '../api/resources/index.js';
import type { AdmissionRequest } from './admission.js';
import { defaultTolerationSeconds } from './admission_default_tolerations.js';

const types = allResources();
const podsType = types.find((t) => t.plural === 'pods' && t.group === '')!;
const cmType = types.find((t) => t.plural === 'configmaps')!;
const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 200 };

function admit(obj: KubeObject, over: Partial<AdmissionRequest> = {}): KubeObject {
  const req: AdmissionRequest = { operation: 'CREATE', type: podsType, subresource: '', namespace: 'default', name: 'p', obj, old: undefined, user: { name: 'u', groups: [] }, dryRun: false, ...over };
  void defaultTolerationSeconds({ notReadySeconds: 300, unreachableSeconds: 200 }).admit?.(req);
  return req.obj;
}
const pod = (tolerations?: unknown[]): KubeObject => ({ metadata: { name: 'p' }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } });

test('defaultTolerationSeconds', async (t) => {
  const own = { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' };
  const cases: { name: string; obj: KubeObject; over?: Partial<AdmissionRequest>; want: unknown }[] = [
    { name: 'adds both', obj: pod(), want: [notReady, unreachable] },
    { name: 'keeps existing tolerations first', obj: pod([own]), want: [own, notReady, unreachable] },
    { name: 'own not-ready toleration kept', obj: pod([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]), want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, unreachable] },
    { name: 'empty effect covers NoExecute', obj: pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }]), want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, notReady] },
    { name: 'tolerate-everything covers both', obj: pod([{ operator: 'Exists' }]), want: [{ operator: 'Exists' }] },
    { name: 'NoSchedule toleration of the key does not count', obj: pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }]), want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable] },
    { name: 'updates untouched', obj: pod(), over: { operation: 'UPDATE' }, want: undefined },
    { name: 'other resources untouched', obj: pod(), over: { type: cmType }, want: undefined },
    { name: 'subresources untouched', obj: pod(), over: { subresource: 'status' }, want: undefined },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual((admit(c.obj, c.over).spec as { tolerations?: unknown }).tolerations, c.want));
});
