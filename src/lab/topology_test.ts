import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planLab } from './topology.js';

test('planLab lays out the switch, controller, workers and client', () => {
  const plan = planLab({ name: 'lab', workers: 2, subnet: '10.77.0.0/24' });
  assert.equal(plan.switchNetns, 'lab-switch');
  assert.deepEqual(
    plan.hosts.map((h) => [h.name, h.role, h.netns, h.ip, h.switchPort]),
    [
      ['controller', 'controller', 'lab-controller', '10.77.0.10', 'p-controller'],
      ['worker1', 'worker', 'lab-worker1', '10.77.0.11', 'p-worker1'],
      ['worker2', 'worker', 'lab-worker2', '10.77.0.12', 'p-worker2'],
      ['client', 'client', 'lab-client', '10.77.0.5', 'p-client'],
    ],
  );
  assert.ok(plan.hosts.every((h) => h.prefix === 24 && h.switchPort.length <= 15));
});

test('planLab rejects what cannot be built', () => {
  for (const [opts, msg] of [
    [{ name: 'Lab', workers: 1, subnet: '10.77.0.0/24' }, /invalid lab name/],
    [{ name: 'lab', workers: -1, subnet: '10.77.0.0/24' }, /invalid worker count/],
    [{ name: 'lab', workers: 1, subnet: '10.77.0.1/24' }, /host bits are set \(did you mean 10\.77\.0\.0\/24\?\)/],
    [{ name: 'lab', workers: 1, subnet: '10.77.0.0' }, /invalid --subnet/],
    [{ name: 'lab', workers: 10, subnet: '10.77.0.0/28' }, /too small for 10 workers/],
  ] as const) {
    assert.throws(() => planLab(opts), msg);
  }
});

test('planLab adds the registry host at .6 when asked', () => {
  const plan = planLab({ name: 'lab', workers: 1, subnet: '10.77.0.0/24', registry: true });
  assert.deepEqual(plan.hosts.at(-1), { ...plan.hosts.at(-1), name: 'registry', role: 'registry', netns: 'lab-registry', ip: '10.77.0.6' });
});
