import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import { applyPatch, patchTypeFromContentType, type PatchType } from './index.js';

describe('patchTypeFromContentType', () => {
  const cases: [string, PatchType | undefined][] = [
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/strategic-merge-patch+json; charset=utf-8', 'strategic'],
    ['Application/Merge-Patch+JSON', 'merge'],
    ['application/apply-patch+yaml', undefined],
    ['application/json', undefined],
    ['', undefined],
  ];
  for (const [ct, want] of cases) {
    it(`${JSON.stringify(ct)} → ${String(want)}`, () => assert.equal(patchTypeFromContentType(ct), want));
  }
});

describe('applyPatch', () => {
  const live = { metadata: { name: 'x', labels: { a: '1' } }, spec: { list: [1, 2] } };

  it('dispatches on the patch type', () => {
    const label = { metadata: { labels: { b: '2' } } };
    const want = { metadata: { name: 'x', labels: { a: '1', b: '2' } }, spec: { list: [1, 2] } };
    assert.deepEqual(applyPatch(live, label, 'merge', undefined), want);
    assert.deepEqual(applyPatch(live, label, 'strategic', undefined), want);
    assert.deepEqual(applyPatch(live, [{ op: 'add', path: '/metadata/labels/b', value: '2' }], 'json', undefined), want);
  });

  it('rejects patches nested beyond the depth limit with 400', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 2000; i++) deep = { a: deep };
    for (const type of ['merge', 'strategic'] as const) {
      assert.throws(
        () => applyPatch(live, deep, type, undefined),
        (e: unknown) => isStatusError(e) && e.code === 400,
      );
    }
  });
});
