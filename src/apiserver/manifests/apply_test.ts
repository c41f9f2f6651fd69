import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { covers, threeWayPatch } from './apply.js';

describe('covers', () => {
  it('ignores fields the server added', () => {
    assert.equal(covers({ a: 1, b: { c: 2, d: 3 }, l: [{ n: 'x', p: 1 }] }, { b: { c: 2 }, l: [{ n: 'x' }] }), true);
  });
  it('sees a changed value, a list of another length, a missing field', () => {
    assert.equal(covers({ a: 1 }, { a: 2 }), false);
    assert.equal(covers({ l: [1, 2] }, { l: [1] }), false);
    assert.equal(covers({}, { a: { b: 1 } }), false);
  });
});

describe('threeWayPatch', () => {
  const cases: { name: string; last: object; desired: object; current: object; want: object }[] = [
    { name: 'nothing changed', last: { data: { a: '1' } }, desired: { data: { a: '1' } }, current: { data: { a: '1' }, metadata: { uid: 'u' } }, want: {} },
    { name: 'a value changed', last: { data: { a: '1' } }, desired: { data: { a: '2' } }, current: { data: { a: '1' } }, want: { data: { a: '2' } } },
    { name: 'a key dropped from the manifest is removed', last: { data: { a: '1', b: '2' } }, desired: { data: { a: '1' } }, current: { data: { a: '1', b: '2' } }, want: { data: { b: null } } },
    { name: 'a key someone else added stays', last: { data: { a: '1' } }, desired: { data: { a: '1' } }, current: { data: { a: '1', c: '3' } }, want: {} },
    {
      name: 'a list is replaced whole when it no longer matches',
      last: { spec: { ports: [{ port: 80 }, { port: 81 }] } },
      desired: { spec: { ports: [{ port: 80 }] } },
      current: { spec: { ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }], clusterIP: '10.43.0.5' } },
      want: { spec: { ports: [{ port: 80 }] } },
    },
    { name: 'an edit by hand is reverted', last: { spec: { replicas: 2 } }, desired: { spec: { replicas: 2 } }, current: { spec: { replicas: 5 } }, want: { spec: { replicas: 2 } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(threeWayPatch(c.last as never, c.desired as never, c.current as never), c.want);
    });
  }
});
