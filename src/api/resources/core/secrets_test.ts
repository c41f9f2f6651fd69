import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { base64Problem } from './core_base64.js';
import { secrets } from './secrets.js';

const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const secret = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 's', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, ...extra });

test('secrets defaults: Opaque, stringData merged into data', () => {
  const o = secret({ data: { a: 'eA==' }, stringData: { b: 'hello', a: 'y' } });
  secrets.defaults(o);
  assert.equal(o.type, 'Opaque');
  assert.deepEqual(o.data, { a: 'eQ==', b: 'aGVsbG8=' });
  assert.equal(o.stringData, undefined);
});

test('secrets base64 problems', () => {
  const cases: [string, string | undefined][] = [
    ['aGVsbG8=', undefined],
    ['aGVs\nbG8=', undefined],
    ['', undefined],
    ['abc', 'illegal base64 data at input byte 0'],
    ['aGVsbG8', 'illegal base64 data at input byte 4'],
    ['ab!d', 'illegal base64 data at input byte 2'],
    ['aGVsbA==x', 'illegal base64 data at input byte 8'],
    ['a===', 'illegal base64 data at input byte 1'],
  ];
  for (const [s, want] of cases) assert.equal(base64Problem(s), want, s);
});

test('secrets validation', () => {
  const cases: { name: string; obj: KubeObject; want: string[] }[] = [
    { name: 'valid', obj: secret({ type: 'Opaque', data: { password: 'cGFzcw==' } }), want: [] },
    { name: 'bad base64', obj: secret({ type: 'Opaque', data: { p: 'abc' } }), want: ['FieldValueInvalid data[p]'] },
    { name: 'bad key', obj: secret({ type: 'Opaque', data: { 'a b': '' } }), want: ['FieldValueInvalid data[a b]'] },
    { name: 'tls keys', obj: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '' } }), want: ['FieldValueRequired data[tls.key]'] },
    { name: 'sa token', obj: secret({ type: 'kubernetes.io/service-account-token' }), want: ['FieldValueRequired metadata.annotations[kubernetes.io/service-account.name]'] },
    { name: 'dockerconfigjson', obj: secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'bm90IGpzb24=' } }), want: ['FieldValueInvalid data[.dockerconfigjson]'] },
    { name: 'basic auth', obj: secret({ type: 'kubernetes.io/basic-auth', data: { password: '' } }), want: [] },
  ];
  for (const c of cases) assert.deepEqual(at(secrets.validate(c.obj)), c.want, c.name);
  const [e] = secrets.validate(secret({ type: 'Opaque', data: { p: 'abc' } }));
  assert.equal(fieldErrorMessage(e!), 'data[p]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0');
});

test('secrets update: type immutable, immutable data', () => {
  const old = secret({ type: 'Opaque', data: { a: 'eA==' } });
  const [e] = secrets.validate(secret({ type: 'kubernetes.io/basic-auth', data: { username: '' } }), old);
  assert.equal(fieldErrorMessage(e!), 'type: Invalid value: "kubernetes.io/basic-auth": field is immutable');
  const frozen = secret({ type: 'Opaque', data: { a: 'eA==' }, immutable: true });
  assert.deepEqual(at(secrets.validate(secret({ type: 'Opaque', data: { a: 'eQ==' }, immutable: true }), frozen)), ['FieldValueForbidden data']);
});

test('secrets row and field labels', () => {
  const o = secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } });
  assert.deepEqual(secrets.row(o, Date.parse('2024-01-01T00:05:00Z')), ['s', 'kubernetes.io/tls', 2, '5m']);
  assert.deepEqual(secrets.fieldLabels?.(o), { type: 'kubernetes.io/tls' });
});
