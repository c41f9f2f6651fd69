import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { AdmissionRequest } from './admission.js';
import { defaultStorageClass } from './admission_default_storage_class.js';

const sc = (name: string, isDefault: boolean, created: string): KubeObject => ({ metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) }, provisioner: 'x.io/p' });
const req = (obj: KubeObject, operation: AdmissionRequest['operation'] = 'CREATE'): AdmissionRequest => ({ operation, type: { group: '', plural: 'persistentvolumeclaims' } as AdmissionRequest['type'], subresource: '', namespace: 'd', name: 'c', obj, old: undefined, user: { name: 'u', groups: [] }, dryRun: false });
const classOf = (obj: KubeObject): unknown => (obj.spec as Record<string, unknown>).storageClassName;

test('DefaultStorageClass: claims without a class get the newest default on create; explicit and empty classes stay', () => {
  const plugin = defaultStorageClass(() => [sc('old', true, '2026-01-01T00:00:00Z'), sc('new', true, '2026-02-01T00:00:00Z'), sc('other', false, '2026-03-01T00:00:00Z')]);
  const cases: { obj: KubeObject; op?: AdmissionRequest['operation']; want: unknown }[] = [
    { obj: { metadata: { name: 'c' }, spec: {} }, want: 'new' },
    { obj: { metadata: { name: 'c' }, spec: { storageClassName: 'other' } }, want: 'other' },
    { obj: { metadata: { name: 'c' }, spec: { storageClassName: '' } }, want: '' },
    { obj: { metadata: { name: 'c', annotations: { 'volume.beta.kubernetes.io/storage-class': 'x' } }, spec: {} }, want: undefined },
    { obj: { metadata: { name: 'c' }, spec: {} }, op: 'UPDATE', want: undefined },
  ];
  for (const c of cases) {
    void plugin.admit!(req(c.obj, c.op));
    assert.equal(classOf(c.obj), c.want);
  }
  const none = defaultStorageClass(() => [sc('other', false, '2026-03-01T00:00:00Z')]);
  const claim: KubeObject = { metadata: { name: 'c' }, spec: {} };
  void none.admit!(req(claim));
  assert.equal(classOf(claim), undefined);
});
