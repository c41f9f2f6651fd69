import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { configmaps } from './configmaps.js';

const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);
const cm = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, ...extra });

test('configmaps validation', () => {
  const cases: { name: string; obj: KubeObject; want: string[] }[] = [
    { name: 'valid', obj: cm({ data: { 'app.conf': 'x', KEY_1: 'y' }, binaryData: { bin: 'AAE=' } }), want: [] },
    { name: 'bad key', obj: cm({ data: { 'a/b': 'x' } }), want: ['FieldValueInvalid data[a/b]'] },
    { name: 'dot-dot key', obj: cm({ data: { '..a': 'x' } }), want: ['FieldValueInvalid data[..a]'] },
    { name: 'key in both', obj: cm({ data: { k: 'x' }, binaryData: { k: 'AA==' } }), want: ['FieldValueInvalid data[k]'] },
    { name: 'too big', obj: cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } }), want: ['FieldValueTooLong '] },
  ];
  for (const c of cases) assert.deepEqual(at(configmaps.validate(c.obj)), c.want, c.name);
  const [e] = configmaps.validate(cm({ data: { '..': 'x' } }));
  assert.equal(fieldErrorMessage(e!), `data[..]: Invalid value: "..": must not be '..'`);
  const [e2] = configmaps.validate(cm({ data: { 'a b': 'x' } }));
  assert.match(fieldErrorMessage(e2!), /^data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric/);
});

test('configmaps immutable', () => {
  const old = cm({ data: { a: '1' }, immutable: true });
  assert.deepEqual(configmaps.validate(cm({ data: { a: '1' }, immutable: true }), old), []);
  assert.deepEqual(at(configmaps.validate(cm({ data: { a: '2' } }), old)), ['FieldValueForbidden immutable', 'FieldValueForbidden data']);
});

test('configmaps row counts data and binaryData keys', () => {
  assert.deepEqual(configmaps.row(cm({ data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), Date.parse('2024-01-02T00:00:00Z')), ['cfg', 3, '24h']);
  assert.deepEqual(configmaps.row(cm({}), Date.parse('2024-01-02T00:00:00Z')), ['cfg', 0, '24h']);
});
