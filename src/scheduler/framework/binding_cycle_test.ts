import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Framework } from './framework.js';
import { preFilterErrorMessage } from './fit_error.js';
import { CycleState, type FilterPlugin, type PreBindPlugin, type ReservePlugin } from './plugin.js';
import { SKIP, SUCCESS, unresolvable, type Status } from './status.js';
import { makeNode, nodeInfo, podInfo } from '../testing/fixtures_test_helper.js';

const rejecting: FilterPlugin = { name: 'Rejecting', preFilter: () => unresolvable('pod has unbound immediate PersistentVolumeClaims'), filter: () => SUCCESS };
const skipping: FilterPlugin = { name: 'Skipping', preFilter: () => SKIP, filter: () => unresolvable('never called') };

test('a PreFilter rejection rules out every node with its message', () => {
  const fw = new Framework({ filters: [skipping, rejecting], scores: [] });
  const r = fw.findFeasible(podInfo('p'), [nodeInfo(makeNode('a')), nodeInfo(makeNode('b'))], 0, 2, new CycleState());
  assert.deepEqual(r.feasible, []);
  assert.equal(r.preFilter?.code, 'UnschedulableAndUnresolvable');
  assert.equal(
    preFilterErrorMessage(2, r.preFilter as Status, 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.'),
    '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
  assert.equal(new Framework({ filters: [skipping], scores: [] }).findFeasible(podInfo('p'), [nodeInfo(makeNode('a'))], 0, 1, new CycleState()).feasible.length, 1);
});

test('a failed Reserve unreserves every plugin in reverse order', () => {
  const log: string[] = [];
  const reserve = (name: string, s: Status): ReservePlugin => ({ name, reserve: () => (log.push(`reserve ${name}`), s), unreserve: () => void log.push(`unreserve ${name}`) });
  const fw = new Framework({ filters: [], scores: [], reserves: [reserve('A', SUCCESS), reserve('B', unresolvable('no'))] });
  assert.equal(fw.runReserve(podInfo('p'), 'a', new CycleState()).code, 'UnschedulableAndUnresolvable');
  assert.deepEqual(log, ['reserve A', 'reserve B', 'unreserve B', 'unreserve A']);
});

test('PreBind stays synchronous until a plugin waits, and names the failing plugin', async () => {
  const sync: PreBindPlugin = { name: 'Sync', preBind: () => SUCCESS };
  const waits: PreBindPlugin = { name: 'VolumeBinding', preBind: () => Promise.resolve({ code: 'Error', reasons: ['binding volumes: context deadline exceeded'] }) };
  assert.equal(new Framework({ filters: [], scores: [], preBinds: [sync] }).runPreBind(podInfo('p'), 'a', new CycleState()), SUCCESS);
  const r = new Framework({ filters: [], scores: [], preBinds: [sync, waits, sync] }).runPreBind(podInfo('p'), 'a', new CycleState());
  assert.ok(r instanceof Promise);
  assert.deepEqual(await r, { code: 'Error', reasons: ['running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded'] });
});
