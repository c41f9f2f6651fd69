import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneJson } from './json_clone.js';

test('cloneJson: equal and unshared, for every JSON shape', () => {
  const cases: unknown[] = [
    null,
    0,
    'x',
    true,
    [],
    {},
    { a: [1, { b: null, c: 'd' }], e: { f: { g: [[]] } }, h: undefined },
  ];
  for (const c of cases) {
    const out = cloneJson(c);
    assert.deepEqual(out, c);
    if (c !== null && typeof c === 'object') assert.notEqual(out, c);
  }
  // A null-prototype object comes back as a plain one, as from structuredClone.
  assert.deepEqual(cloneJson(Object.assign(Object.create(null) as object, { k: 1 })), { k: 1 });
  const src = { a: { b: [1, 2] } };
  const out = cloneJson(src);
  out.a.b.push(3);
  assert.deepEqual(src.a.b, [1, 2]);
});

test('cloneJson: non-JSON objects are copied by structuredClone', () => {
  const src = { when: new Date(5), bytes: new Uint8Array([1, 2]) };
  const out = cloneJson(src);
  assert.ok(out.when instanceof Date && out.when.getTime() === 5 && out.when !== src.when);
  assert.ok(out.bytes instanceof Uint8Array && out.bytes !== src.bytes);
  assert.deepEqual([...out.bytes], [1, 2]);
});
