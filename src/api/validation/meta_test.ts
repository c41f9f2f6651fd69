import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../field_errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';

const summary = (errs: { type: string; field: string }[]) => errs.map((e) => `${e.type} ${e.field}`);

describe('validateObjectMeta', () => {
  const ns = { namespaced: true, nameRule: 'subdomain' as const };
  const cases: { name: string; meta: unknown; opts?: typeof ns | { namespaced: boolean; nameRule: 'label' | 'subdomain' }; want: string[] }[] = [
    { name: 'valid', meta: { name: 'web-1', namespace: 'default' }, want: [] },
    { name: 'generateName only', meta: { generateName: 'web-', namespace: 'default' }, want: [] },
    { name: 'no name', meta: { namespace: 'default' }, want: ['FieldValueRequired metadata.name'] },
    { name: 'bad name', meta: { name: 'Web_1', namespace: 'default' }, want: ['FieldValueInvalid metadata.name'] },
    { name: 'bad generateName', meta: { generateName: 'Web-', namespace: 'default' }, want: ['FieldValueInvalid metadata.generateName'] },
    { name: 'no namespace', meta: { name: 'a' }, want: ['FieldValueRequired metadata.namespace'] },
    { name: 'bad namespace', meta: { name: 'a', namespace: 'a.b' }, want: ['FieldValueInvalid metadata.namespace'] },
    { name: 'cluster scoped with namespace', meta: { name: 'a', namespace: 'x' }, opts: { namespaced: false, nameRule: 'subdomain' }, want: ['FieldValueForbidden metadata.namespace'] },
    { name: 'label rule', meta: { name: 'a.b' }, opts: { namespaced: false, nameRule: 'label' }, want: ['FieldValueInvalid metadata.name'] },
    { name: 'bad label', meta: { name: 'a', namespace: 'd', labels: { '-x': 'y' } }, want: ['FieldValueInvalid metadata.labels'] },
    { name: 'bad annotation', meta: { name: 'a', namespace: 'd', annotations: { 'a/b/c': 'y' } }, want: ['FieldValueInvalid metadata.annotations'] },
    { name: 'huge annotations', meta: { name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(262144) } }, want: ['FieldValueTooLong metadata.annotations'] },
    {
      name: 'owner refs',
      meta: { name: 'a', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'n', uid: '' }] },
      want: ['FieldValueInvalid metadata.ownerReferences.uid'],
    },
    { name: 'bad finalizer', meta: { name: 'a', namespace: 'd', finalizers: ['a/b/c'] }, want: ['FieldValueInvalid metadata.finalizers'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(summary(validateObjectMeta(c.meta, c.opts ?? ns)), c.want));
  }
  it('says name or generateName is required', () => {
    const [e] = validateObjectMeta({ namespace: 'd' }, ns);
    assert.equal(fieldErrorMessage(e!), 'metadata.name: Required value: name or generateName is required');
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' };
  it('allows label changes', () => assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old), []));
  it('treats missing uid/creationTimestamp as unchanged', () => assert.deepEqual(validateObjectMetaUpdate({ name: 'a', namespace: 'd' }, old), []));
  for (const k of ['name', 'namespace', 'uid', 'creationTimestamp']) {
    it(`${k} is immutable`, () => {
      const errs = validateObjectMetaUpdate({ ...old, [k]: 'changed' }, old);
      assert.deepEqual(summary(errs), [`FieldValueInvalid metadata.${k}`]);
      assert.equal(errs[0]?.detail, 'field is immutable');
    });
  }
  it('forbids new finalizers while deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a.io/x'] };
    assert.deepEqual(summary(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting)), ['FieldValueForbidden metadata.finalizers']);
    assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), []);
  });
});
