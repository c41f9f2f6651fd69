import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import type { JsonObject } from '../../api/types.js';
import { applyPatch, maxJsonPatchOperations } from './index.js';

/** RFC 6902 JSON patches (kubectl patch --type=json) with evanphx/json-patch v4 semantics. */

function doc(): JsonObject {
  return {
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/key': 'v', 'a~b': 't' } },
    spec: { replicas: 1, ports: [80, 443], containers: [{ name: 'a' }, { name: 'b' }] },
  };
}

const ok: { name: string; patch: unknown[]; want: (d: JsonObject) => void }[] = [
  {
    name: 'replace replicas (kubectl patch --type=json)',
    patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
    want: (d) => ((d['spec'] as JsonObject)['replicas'] = 3),
  },
  {
    name: 'add a label',
    patch: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }],
    want: (d) => (((d['metadata'] as JsonObject)['labels'] as JsonObject)['tier'] = 'front'),
  },
  {
    name: 'add replaces an existing member',
    patch: [{ op: 'add', path: '/spec/replicas', value: 5 }],
    want: (d) => ((d['spec'] as JsonObject)['replicas'] = 5),
  },
  {
    name: 'add inserts into an array, - appends, negative counts from the end',
    patch: [
      { op: 'add', path: '/spec/ports/1', value: 8080 },
      { op: 'add', path: '/spec/ports/-', value: 9090 },
      { op: 'add', path: '/spec/ports/-1', value: 1 },
    ],
    want: (d) => ((d['spec'] as JsonObject)['ports'] = [80, 8080, 443, 9090, 1]),
  },
  {
    name: 'remove a member and an array element',
    patch: [
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'remove', path: '/spec/containers/0' },
      { op: 'remove', path: '/spec/ports/-1' },
    ],
    want: (d) => {
      (d['metadata'] as JsonObject)['labels'] = {};
      (d['spec'] as JsonObject)['containers'] = [{ name: 'b' }];
      (d['spec'] as JsonObject)['ports'] = [80];
    },
  },
  {
    name: 'escaped pointer tokens ~1 and ~0',
    patch: [
      { op: 'replace', path: '/metadata/annotations/example.com~1key', value: 'w' },
      { op: 'remove', path: '/metadata/annotations/a~0b' },
    ],
    want: (d) => ((d['metadata'] as JsonObject)['annotations'] = { 'example.com/key': 'w' }),
  },
  {
    name: 'move and copy',
    patch: [
      { op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' },
      { op: 'move', from: '/metadata/labels', path: '/spec/selector' },
    ],
    want: (d) => {
      const spec = d['spec'] as JsonObject;
      spec['containers'] = [{ name: 'a' }, { name: 'b' }, { name: 'a' }];
      spec['selector'] = { app: 'web' };
      delete (d['metadata'] as JsonObject)['labels'];
    },
  },
  {
    name: 'test guards the following operations',
    patch: [
      { op: 'test', path: '/spec/containers/1', value: { name: 'b' } },
      { op: 'test', path: '/metadata/missing', value: null },
      { op: 'test', path: '/spec/replicas', value: 1.0 },
      { op: 'replace', path: '/spec/replicas', value: 2 },
    ],
    want: (d) => ((d['spec'] as JsonObject)['replicas'] = 2),
  },
  { name: 'empty patch', patch: [], want: () => undefined },
];

/** Each failing patch and the detail kept in the 422's cause (the client sees the generic text). */
const rejected: { name: string; patch: unknown[]; cause: RegExp }[] = [
  { name: 'failed test', patch: [{ op: 'test', path: '/spec/replicas', value: 2 }], cause: /testing value \/spec\/replicas failed/ },
  { name: 'test of a missing member', patch: [{ op: 'test', path: '/spec/x', value: 1 }], cause: /testing value/ },
  { name: 'missing parent', patch: [{ op: 'add', path: '/status/phase', value: 'x' }], cause: /doc is missing path/ },
  { name: 'replace of a missing key', patch: [{ op: 'replace', path: '/spec/paused', value: true }], cause: /missing key/ },
  { name: 'remove of a missing key', patch: [{ op: 'remove', path: '/metadata/labels/none' }], cause: /nonexistent key/ },
  { name: 'index out of range', patch: [{ op: 'add', path: '/spec/ports/5', value: 1 }], cause: /invalid index/ },
  { name: 'index not a number', patch: [{ op: 'add', path: '/spec/ports/x', value: 1 }], cause: /proper array index/ },
  { name: 'unknown op', patch: [{ op: 'frobnicate', path: '/spec' }], cause: /Unexpected kind: frobnicate/ },
  { name: 'missing op', patch: [{ path: '/spec' }], cause: /Unexpected kind: unknown/ },
  { name: 'missing path', patch: [{ op: 'remove' }], cause: /missing path field/ },
  { name: 'path without leading slash', patch: [{ op: 'remove', path: 'spec' }], cause: /missing path/ },
  { name: 'add at the root', patch: [{ op: 'add', path: '', value: {} }], cause: /missing path/ },
  { name: 'move from a missing path', patch: [{ op: 'move', from: '/x/y', path: '/spec/y' }], cause: /missing from path/ },
];

function expectStatus(fn: () => unknown, code: number, reason: string, message: string | RegExp): Error {
  let caught: unknown;
  assert.throws(fn, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(isStatusError(caught));
  assert.equal(caught.code, code);
  assert.equal(caught.reason, reason);
  if (typeof message === 'string') assert.equal(caught.status.message, message);
  else assert.match(caught.status.message ?? '', message);
  return caught;
}

describe('JSON patch', () => {
  for (const c of ok) {
    it(c.name, () => {
      const want = doc();
      c.want(want);
      assert.deepEqual(applyPatch(doc(), c.patch, 'json', undefined), want);
    });
  }

  for (const c of rejected) {
    it(`422: ${c.name}`, () => {
      const err = expectStatus(() => applyPatch(doc(), c.patch, 'json', undefined), 422, 'Invalid', 'the server rejected our request due to an error in our request');
      assert.match(String((err.cause as Error | undefined)?.message), c.cause);
    });
  }

  it('400 for a document that is not a list of operations', () => {
    const msg = 'json: cannot unmarshal object into Go value of type jsonpatch.Patch';
    expectStatus(() => applyPatch(doc(), { op: 'add' }, 'json', undefined), 400, 'BadRequest', msg);
    const opMsg = 'json: cannot unmarshal string into Go value of type jsonpatch.Operation';
    expectStatus(() => applyPatch(doc(), ['add'], 'json', undefined), 400, 'BadRequest', opMsg);
  });

  it('a null document is an empty patch', () => {
    assert.deepEqual(applyPatch(doc(), null, 'json', undefined), doc());
  });

  it(`413 beyond ${maxJsonPatchOperations} operations`, () => {
    const op = { op: 'test', path: '/spec/replicas', value: 1 };
    assert.deepEqual(applyPatch(doc(), new Array(maxJsonPatchOperations).fill(op), 'json', undefined), doc());
    const msg = `Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001`;
    expectStatus(() => applyPatch(doc(), new Array(maxJsonPatchOperations + 1).fill(op), 'json', undefined), 413, 'RequestEntityTooLarge', msg);
  });

  it('bounds the growth copy operations can cause', () => {
    const big = { metadata: { name: 'x' }, data: { a: 'x'.repeat(100_000) } };
    const ops = Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/data/a', path: `/data/c${i}` }));
    const err = expectStatus(() => applyPatch(big, ops, 'json', undefined), 422, 'Invalid', /rejected our request/);
    assert.match(String((err.cause as Error | undefined)?.message), /accumulated size/);
  });

  it('422 Invalid when the result is not an object', () => {
    expectStatus(() => applyPatch(doc(), [{ op: 'replace', path: '', value: [1] }], 'json', undefined), 422, 'Invalid', /patch: Invalid value/);
  });

  it('replaces the whole document at the root path and never mutates its inputs', () => {
    const original = doc();
    const patch = [
      { op: 'replace', path: '', value: { metadata: { name: 'new' } } },
      { op: 'add', path: '/spec', value: { items: [1] } },
      { op: 'add', path: '/spec/items/-', value: 2 },
    ];
    const patchBefore = structuredClone(patch);
    assert.deepEqual(applyPatch(original, patch, 'json', undefined), { metadata: { name: 'new' }, spec: { items: [1, 2] } });
    assert.deepEqual(original, doc());
    assert.deepEqual(patch, patchBefore);
  });
});
