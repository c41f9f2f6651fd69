import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrSet } from './cidr_set.js';

test('CidrSet hands out the lowest free subnet and reuses freed ones', () => {
  const s = new CidrSet('10.42.0.0/16', 24);
  assert.equal(s.allocateNext(), '10.42.0.0/24');
  assert.equal(s.occupy('10.42.2.0/24'), true);
  assert.equal(s.allocateNext(), '10.42.1.0/24');
  assert.equal(s.allocateNext(), '10.42.3.0/24');
  s.release('10.42.1.0/24');
  assert.equal(s.allocateNext(), '10.42.1.0/24');
});

test('CidrSet rejects foreign subnets and runs out', () => {
  const s = new CidrSet('10.42.0.0/23', 24);
  for (const cidr of ['10.43.0.0/24', '10.42.0.0/25', '10.42.0.128/24', 'bogus']) assert.equal(s.occupy(cidr), false, cidr);
  assert.deepEqual([s.allocateNext(), s.allocateNext(), s.allocateNext()], ['10.42.0.0/24', '10.42.1.0/24', undefined]);
  assert.throws(() => new CidrSet('10.42.0.0/16', 8));
  assert.throws(() => new CidrSet('10.42.0/16', 24));
});
