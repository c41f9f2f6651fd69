import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlainJson } from './json_plain.js';

test('isPlainJson: true exactly when a JSON round trip rebuilds the value', () => {
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  class Thing {
    a = 1;
  }
  let deep: unknown = 'leaf';
  for (let i = 0; i < 1100; i++) deep = [deep];
  const cases: [string, unknown, boolean][] = [
    ['null', null, true],
    ['string', 'x', true],
    ['number', 1.5, true],
    ['zero', 0, true],
    ['boolean', false, true],
    ['nested', { a: [1, { b: null, c: 'd' }], e: { f: { g: [[]] } } }, true],
    ['empty object and array', { o: {}, a: [] }, true],
    ['undefined field', { a: undefined }, false],
    ['undefined element', [undefined], false],
    ['hole', sparse, false],
    ['NaN', { n: NaN }, false],
    ['Infinity', [Infinity], false],
    ['negative zero', { z: -0 }, false],
    ['function', { f: () => 1 }, false],
    ['Date', { d: new Date(0) }, false],
    ['Buffer', { b: Buffer.from('x') }, false],
    ['class instance', new Thing(), false],
    ['null prototype', Object.assign(Object.create(null) as object, { k: 1 }), false],
    ['bigint', { n: 1n }, false],
    ['symbol', { s: Symbol('s') }, false],
    ['undefined', undefined, false],
    ['deeper than 1000', deep, false],
  ];
  for (const [name, value, want] of cases) {
    assert.equal(isPlainJson(value), want, name);
    if (want) assert.deepEqual(JSON.parse(JSON.stringify(value)), value, name);
  }
});
