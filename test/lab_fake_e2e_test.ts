// `skiff lab` end to end with the fake runtime: three nodes in network namespaces, kubectl from
// the client host, a halted worker going NotReady and coming back, and a teardown that leaves no
// namespace behind. Needs root; skipped (with the reason) otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { eventually } from './eventually.js';
import { labSkipReason, startLab, type TestLab } from './lab_harness.js';

const skip = labSkipReason();
if (skip) process.stderr.write(`lab_fake_e2e_test: skipped: ${skip}\n`);
const FAST = ['--node-lease-duration-seconds', '4', '--node-status-update-frequency', '1s'];
let lab: TestLab | undefined;

/** nodeRows parses `kubectl get nodes -o wide` into name → [status, internal IP]. */
function nodeRows(out: string): Map<string, [string, string]> {
  const [head, ...rows] = out.trim().split('\n');
  const cols = (head ?? '').split(/\s{2,}/);
  const at = (row: string, col: string): string => row.split(/\s{2,}/)[cols.indexOf(col)] ?? '';
  return new Map(rows.map((r) => [at(r, 'NAME'), [at(r, 'STATUS'), at(r, 'INTERNAL-IP')]]));
}

before(async () => {
  if (skip) return;
  lab = await startLab({ workers: 2, runtime: 'fake', serverArgs: ['--node-monitor-grace-period', '4s', ...FAST], agentArgs: FAST });
});

after(async () => {
  await lab?.down();
});

test('kubectl on the client sees three Ready nodes with their lab addresses', { skip }, async () => {
  const rows = nodeRows(await lab!.kubectlOk(['get', 'nodes', '-o', 'wide']));
  assert.deepEqual(Object.fromEntries(rows), {
    controller: ['Ready', '10.77.0.10'],
    worker1: ['Ready', '10.77.0.11'],
    worker2: ['Ready', '10.77.0.12'],
  });
  const route = await lab!.exec('worker1', ['ip', 'route']);
  assert.equal(route.code, 0);
  assert.doesNotMatch(route.stdout, /default/, 'a lab host has no route out of the lab');
});

test('a halted worker goes NotReady and is Ready again after start', { skip }, async () => {
  await lab!.halt('worker2');
  await eventually('worker2 NotReady', async () => assert.equal(nodeRows(await lab!.kubectlOk(['get', 'nodes', '-o', 'wide'])).get('worker2')?.[0], 'NotReady'), 30_000, 500);
  const link = await lab!.exec('worker2', ['ip', '-br', 'link', 'show', 'eth0']);
  assert.match(link.stdout, /DOWN/);
  await lab!.start('worker2');
  await eventually('worker2 Ready', async () => assert.equal(nodeRows(await lab!.kubectlOk(['get', 'nodes', '-o', 'wide'])).get('worker2')?.[0], 'Ready'), 30_000, 500);
});

test('down leaves none of the lab\'s namespaces', { skip }, async () => {
  const name = lab!.name;
  await lab!.down();
  const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`${name}-`));
  assert.deepEqual(left, []);
});
