import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processAlive } from './process.js';

test('processAlive: this process is alive; a reaped child, 0 and undefined are not', () => {
  assert.equal(processAlive(process.pid), true);
  const done = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(processAlive(done.pid), false);
  assert.equal(processAlive(0), false);
  assert.equal(processAlive(undefined), false);
});
