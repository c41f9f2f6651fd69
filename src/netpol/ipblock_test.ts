import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrRange, formatIPv4, ipBlockRanges, mergeRanges, parseIPv4, rangeElement } from './ipblock.js';

test('parseIPv4 and formatIPv4 round-trip; other text is undefined', () => {
  for (const ip of ['0.0.0.0', '10.42.1.7', '255.255.255.255']) assert.equal(formatIPv4(parseIPv4(ip)!), ip);
  for (const bad of ['10.42.1', '10.42.1.256', 'fd00::1', '']) assert.equal(parseIPv4(bad), undefined);
});

test('cidrRange covers the network, ignoring host bits; IPv6 is undefined', () => {
  assert.deepEqual(cidrRange('10.42.1.7/24'), { first: parseIPv4('10.42.1.0'), last: parseIPv4('10.42.1.255') });
  assert.deepEqual(cidrRange('0.0.0.0/0'), { first: 0, last: 2 ** 32 - 1 });
  assert.deepEqual(cidrRange('10.0.0.1/32'), { first: parseIPv4('10.0.0.1'), last: parseIPv4('10.0.0.1') });
  for (const bad of ['fd00::/8', '10.0.0.0/33', '10.0.0.0', '10.0.0.0/8/1']) assert.equal(cidrRange(bad), undefined);
});

test('ipBlockRanges subtracts except lists and merges blocks', () => {
  const cases: { blocks: { cidr: string; except: string[] }[]; want: string[] }[] = [
    { blocks: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], want: ['10.0.0.0-10.0.255.255', '10.2.0.0-10.255.255.255'] },
    { blocks: [{ cidr: '10.42.0.0/16', except: ['10.42.1.5/32', '10.42.1.6/32'] }], want: ['10.42.0.0-10.42.1.4', '10.42.1.7-10.42.255.255'] },
    { blocks: [{ cidr: '10.0.0.0/24', except: [] }, { cidr: '10.0.1.0/24', except: [] }], want: ['10.0.0.0-10.0.1.255'] },
    { blocks: [{ cidr: '10.0.0.0/24', except: ['10.0.0.0/24'] }], want: [] },
    { blocks: [{ cidr: '192.168.0.1/32', except: [] }, { cidr: 'fd00::/8', except: [] }], want: ['192.168.0.1'] },
  ];
  for (const c of cases) assert.deepEqual(ipBlockRanges(c.blocks).map(rangeElement), c.want, JSON.stringify(c.blocks));
});

test('mergeRanges joins overlapping and touching ranges', () => {
  assert.deepEqual(mergeRanges([{ first: 10, last: 20 }, { first: 1, last: 5 }, { first: 6, last: 8 }, { first: 15, last: 30 }]), [{ first: 1, last: 8 }, { first: 10, last: 30 }]);
});
