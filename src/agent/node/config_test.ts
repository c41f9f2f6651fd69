import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeCapacity, parseNodeCapacity, parseNodeLabel, parseNodeTaint } from './config.js';
import { osImageOf } from './system_info.js';

test('node flags parse, and mistakes name the flag', () => {
  assert.deepEqual(parseNodeLabel('a=b=c'), ['a', 'b=c']);
  assert.throws(() => parseNodeLabel('novalue'), /--node-label/);
  assert.deepEqual(parseNodeTaint('dedicated=gpu:NoSchedule'), { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
  assert.deepEqual(parseNodeTaint('node-role.kubernetes.io/control-plane:NoExecute'), { key: 'node-role.kubernetes.io/control-plane', effect: 'NoExecute' });
  assert.throws(() => parseNodeTaint('k=v:Sometimes'), /--node-taint/);
  assert.deepEqual(parseNodeCapacity('cpu=2, memory=3Gi,pods=110'), { cpu: '2', memory: '3Gi', pods: '110' });
  assert.throws(() => parseNodeCapacity('cpu=lots'), /--node-capacity/);
});

test('capacity comes from the machine unless given', () => {
  const machine = { cpus: 4, memoryBytes: 8 * 2 ** 30, ephemeralStorageBytes: 100 * 2 ** 30 };
  assert.deepEqual(nodeCapacity(machine), { cpu: '4', memory: '8388608Ki', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', 'ephemeral-storage': '104857600Ki' });
  assert.equal(nodeCapacity(machine, { memory: '3Gi' })['memory'], '3Gi');
});

test('osImage is PRETTY_NAME from os-release', () => {
  assert.equal(osImageOf('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(osImageOf(undefined), 'Linux');
});
