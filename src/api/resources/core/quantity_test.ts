import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQuantity, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  const cases: [string | number, number | undefined][] = [
    ['100m', 0.1], ['1', 1], ['1.5', 1.5], ['1Gi', 2 ** 30], ['128Mi', 128 * 2 ** 20], ['1k', 1000], ['2e3', 2000],
    ['1E-3', 0.001], ['500M', 5e8], ['-1', -1], [3, 3], ['', undefined], ['1Gb', undefined], ['abc', undefined], [' 1', undefined], ['1.', 1],
  ];
  for (const [s, want] of cases) it(`${JSON.stringify(s)} → ${want}`, () => assert.equal(parseQuantity(s), want));
});

describe('formatQuantity', () => {
  const cases: [number, boolean, string][] = [[0.1, false, '100m'], [2, false, '2'], [2 ** 30, true, '1Gi'], [1500, false, '1500'], [2000, false, '2k'], [0, false, '0']];
  for (const [v, bin, want] of cases) it(`${v} → ${want}`, () => assert.equal(formatQuantity(v, bin), want));
});
