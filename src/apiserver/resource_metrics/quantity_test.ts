import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuQuantity, goDuration, memoryQuantity, parseQuantity } from './quantity.js';

test('cpuQuantity prints nanocores in canonical DecimalSI', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [123456, '123456n'],
    [1_000_000, '1m'],
    [2_500_000, '2500u'],
    [250_000_000, '250m'],
    [1_000_000_000, '1'],
    [4_000_000_000_000, '4k'],
    [1234.9, '1234n'],
  ];
  for (const [n, want] of cases) assert.equal(cpuQuantity(n), want, String(n));
});

test('memoryQuantity prints bytes in canonical BinarySI', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [512, '512'],
    [1000, '1k'],
    [1024, '1Ki'],
    [12_641_280, '12345Ki'],
    [1_048_576, '1Mi'],
    [3 * 2 ** 30, '3Gi'],
    [12_345_678, '12345678'],
  ];
  for (const [n, want] of cases) assert.equal(memoryQuantity(n), want, String(n));
});

test('parseQuantity reads what the formatters print', () => {
  assert.equal(parseQuantity('123456n'), 123456e-9);
  assert.equal(parseQuantity('12345Ki'), 12_641_280);
  assert.equal(parseQuantity('2'), 2);
  assert.ok(Number.isNaN(parseQuantity('x')));
});

test('goDuration formats as Go time.Duration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [15_000, '15s'],
    [15_004, '15.004s'],
    [15_500, '15.5s'],
    [65_000, '1m5s'],
    [3_600_000, '1h0m0s'],
    [250, '250ms'],
  ];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want, String(ms));
});
