import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, podPhase } from './pod_status.js';

const running = { state: { running: {} } };
const exit = (exitCode: number) => ({ state: { terminated: { exitCode } } });

test('podPhase follows container states and the restart policy', () => {
  const cases: { name: string; policy: string; cs: unknown[]; terminating?: boolean; want: string }[] = [
    { name: 'nothing yet', policy: 'Always', cs: [], want: 'Pending' },
    { name: 'running', policy: 'Always', cs: [running], want: 'Running' },
    { name: 'one exited one running', policy: 'Never', cs: [running, exit(0)], want: 'Running' },
    { name: 'waiting', policy: 'Always', cs: [{ state: { waiting: {} } }], want: 'Pending' },
    { name: 'Never, success', policy: 'Never', cs: [exit(0), exit(0)], want: 'Succeeded' },
    { name: 'Never, failure', policy: 'Never', cs: [exit(0), exit(2)], want: 'Failed' },
    { name: 'OnFailure, success', policy: 'OnFailure', cs: [exit(0)], want: 'Succeeded' },
    { name: 'OnFailure, failure restarts', policy: 'OnFailure', cs: [exit(1)], want: 'Running' },
    { name: 'Always restarts', policy: 'Always', cs: [exit(0)], want: 'Running' },
    { name: 'Always, deleted', policy: 'Always', cs: [exit(0)], terminating: true, want: 'Succeeded' },
    { name: 'Always, deleted, killed', policy: 'Always', cs: [exit(137)], terminating: true, want: 'Failed' },
    { name: 'crash-looping', policy: 'Always', cs: [{ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }], want: 'Running' },
  ];
  for (const c of cases) assert.equal(podPhase(c.policy, c.cs, c.terminating ?? false), c.want, c.name);
  assert.equal(podPhase('Never', [{ state: { waiting: {} } }], false, [exit(1)]), 'Failed', 'init container failed, Never');
  assert.equal(podPhase('Always', [{ state: { waiting: {} } }], false, [exit(1)]), 'Pending', 'init container failed, will restart');
});

test('canonicalJson ignores key order and undefined fields', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: null }] }), canonicalJson({ a: [{ z: null, y: 2 }], b: 1 }));
  assert.notEqual(canonicalJson({ a: 1 }), canonicalJson({ a: 2 }));
});
