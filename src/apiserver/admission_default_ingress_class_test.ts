import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { AdmissionRequest } from './admission.js';
import { defaultIngressClass } from './admission_default_ingress_class.js';

const cls = (name: string, isDefault: boolean, created: string): KubeObject => ({ metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) }, spec: { controller: 'x' } });
const req = (obj: KubeObject, operation: AdmissionRequest['operation'] = 'CREATE'): AdmissionRequest => ({ operation, type: { group: 'networking.k8s.io', plural: 'ingresses' } as AdmissionRequest['type'], subresource: '', namespace: 'd', name: 'i', obj, old: undefined, user: { name: 'u', groups: [] }, dryRun: false });

test('DefaultIngressClass: sets the newest default class on create only, leaves explicit classes alone', () => {
  const plugin = defaultIngressClass(() => [cls('old', true, '2026-01-01T00:00:00Z'), cls('new', true, '2026-02-01T00:00:00Z'), cls('other', false, '2026-03-01T00:00:00Z')]);
  const plain: KubeObject = { metadata: { name: 'i' }, spec: {} };
  void plugin.admit!(req(plain));
  assert.equal((plain.spec as Record<string, unknown>).ingressClassName, 'new');
  const named: KubeObject = { metadata: { name: 'i' }, spec: { ingressClassName: 'other' } };
  void plugin.admit!(req(named));
  assert.equal((named.spec as Record<string, unknown>).ingressClassName, 'other');
  const legacy: KubeObject = { metadata: { name: 'i', annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: {} };
  void plugin.admit!(req(legacy));
  assert.equal((legacy.spec as Record<string, unknown>).ingressClassName, undefined);
  const update: KubeObject = { metadata: { name: 'i' }, spec: {} };
  void plugin.admit!(req(update, 'UPDATE'));
  assert.equal((update.spec as Record<string, unknown>).ingressClassName, undefined);
});
