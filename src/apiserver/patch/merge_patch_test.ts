import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import { applyPatch, mergePatchValue } from './index.js';

/** RFC 7386 JSON merge patch (kubectl patch --type=merge, and kubectl apply for unknown kinds). */

/** RFC 7386 Appendix A, row by row: [original, patch, result]. */
const appendixA: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('JSON merge patch', () => {
  appendixA.forEach(([original, patch, want], i) => {
    it(`RFC 7386 appendix A example ${i + 1}: ${JSON.stringify(patch)}`, () => {
      const before = structuredClone(original);
      assert.deepEqual(mergePatchValue(original, patch), want);
      assert.deepEqual(original, before);
    });
  });

  it('merges objects recursively and replaces arrays (kubectl patch --type=merge)', () => {
    const live = { metadata: { name: 'web', labels: { app: 'web', tier: 'x' } }, spec: { replicas: 1, ports: [80, 443] } };
    const patch = { metadata: { labels: { tier: null, env: 'prod' } }, spec: { ports: [8080], paused: { a: null, b: 1 } } };
    const before = structuredClone(live);
    const got = applyPatch(live, patch, 'merge', undefined);
    assert.deepEqual(got, {
      metadata: { name: 'web', labels: { app: 'web', env: 'prod' } },
      spec: { replicas: 1, ports: [8080], paused: { b: 1 } },
    });
    assert.deepEqual(live, before);
    (got['metadata'] as { name: string }).name = 'changed';
    assert.equal(live.metadata.name, 'web', 'the result shares nothing with the original');
  });

  it('strategic directives are plain fields in a merge patch', () => {
    const got = applyPatch({ spec: { a: 1 } }, { spec: { $patch: 'replace' } }, 'merge', undefined);
    assert.deepEqual(got, { spec: { a: 1, $patch: 'replace' } });
  });

  const bad: [string, unknown, number, string | RegExp][] = [
    ['null patch', null, 400, 'Invalid JSON Patch'],
    ['scalar patch', 'bar', 400, 'Invalid JSON Patch'],
    ['array patch', [{ op: 'add' }], 422, /^ ?"" is invalid: patch: Invalid value: /],
  ];
  for (const [name, patch, code, message] of bad) {
    it(`${code} for a ${name}`, () => {
      assert.throws(
        () => applyPatch({ metadata: { name: 'x' } }, patch, 'merge', undefined),
        (e: unknown) => isStatusError(e) && e.code === code && (typeof message === 'string' ? e.message === message : message.test(e.message)),
      );
    });
  }
});
