import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandError, ToolMissingError, runCommand } from './command.js';

test('runCommand feeds stdin and returns stdout', async () => {
  assert.equal((await runCommand('sh', ['-c', 'cat; echo done'], 'in\n')).stdout, 'in\ndone\n');
});

test('runCommand: a failing command is a CommandError carrying its stderr', async () => {
  const err = await runCommand('sh', ['-c', 'echo oops >&2; exit 3']).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof CommandError);
  assert.equal(err.code, 3);
  assert.match(err.message, /exit 3\): oops/);
});

test('a missing program names the Debian package to install', async () => {
  await assert.rejects(runCommand('skiff-no-such-program', []), /skiff-no-such-program: command not found: install skiff-no-such-program/);
  assert.equal(new ToolMissingError('nft').message, 'nft: command not found: install nftables');
  assert.equal(new ToolMissingError('ip').message, 'ip: command not found: install iproute2');
});
