import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv32a, jsonHash, safeEncodeString } from './fnv.js';

test('fnv32a matches the FNV-1a 32-bit test vectors and chains through seed', () => {
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv32a(Buffer.from('foobar')), 0xbf9cf968);
  assert.equal(fnv32a(Buffer.from('bar'), fnv32a(Buffer.from('foo'))), 0xbf9cf968);
});

test('safeEncodeString maps bytes onto the safe alphabet', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('jsonHash safe-encodes the decimal hash of the JSON; absent values hash as {}', () => {
  assert.equal(jsonHash({ a: 1 }), safeEncodeString(String(fnv32a(Buffer.from('{"a":1}')))));
  assert.equal(jsonHash(undefined), jsonHash({}));
  assert.equal(jsonHash(null), jsonHash({}));
  assert.notEqual(jsonHash({ a: 1 }), jsonHash({ a: 2 }));
  assert.match(jsonHash({ a: 1 }), /^[456789bcdf]{1,10}$/);
});
