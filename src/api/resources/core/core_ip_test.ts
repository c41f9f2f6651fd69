import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIPv6String, parseIP, validateNonSpecialIP } from './core_ip.js';

test('parseIP', () => {
  const cases: [string, number | undefined][] = [
    ['10.43.0.1', 4],
    ['010.043.000.001', 4],
    ['256.0.0.1', undefined],
    ['1.2.3', undefined],
    ['::1', 16],
    ['fd00::5', 16],
    ['2001:db8:0:0:0:0:0:1', 16],
    ['::ffff:10.0.0.1', 16],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['gggg::1', undefined],
    ['', undefined],
  ];
  for (const [s, len] of cases) assert.equal(parseIP(s)?.length, len, s);
  assert.equal(isIPv6String('fd00::1'), true);
  assert.equal(isIPv6String('10.0.0.1'), false);
});

test('validateNonSpecialIP', () => {
  const cases: [string, number][] = [
    ['10.42.0.5', 0],
    ['0.0.0.0', 1],
    ['127.0.0.1', 1],
    ['169.254.1.1', 1],
    ['224.0.0.1', 1],
    ['::', 1],
    ['::1', 1],
    ['fe80::1', 1],
    ['ff02::1', 1],
    ['::ffff:127.0.0.1', 1],
    ['nope', 1],
  ];
  for (const [ip, n] of cases) assert.equal(validateNonSpecialIP(ip, 'ip').length, n, ip);
});
