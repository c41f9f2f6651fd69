import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceaccounts } from './serviceaccounts.js';

test('serviceaccounts validate and print', () => {
  const sa = { metadata: { name: 'default', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, secrets: [{ name: 'tok' }] };
  serviceaccounts.defaults(sa);
  assert.deepEqual(serviceaccounts.validate(sa), []);
  assert.deepEqual(serviceaccounts.row(sa, Date.parse('2024-01-01T00:00:10Z')), ['default', 1, '10s']);
  assert.deepEqual(serviceaccounts.row({ metadata: { name: 'x' } }, 0), ['x', 0, '<unknown>']);
  assert.deepEqual(serviceaccounts.shortNames, ['sa']);
});
