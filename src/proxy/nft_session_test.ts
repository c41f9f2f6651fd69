import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { NftSession } from './nft_session.js';

const hasNft = spawnSync('nft', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

test('an nft session applies transactions whole, reports the failing one and goes on (real nft)', { skip: !(hasNft && isRoot) }, async () => {
  const ns = `skiff-nft-session-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  const session = new NftSession(['nsenter', `--net=/run/netns/${ns}`, 'nft']);
  const list = (): string => execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'nft', 'list', 'table', 'ip', 't'], { encoding: 'utf8' });
  try {
    await session.apply('add table ip t\nadd set ip t s { type ipv4_addr; flags timeout; }\nadd chain ip t c\n');
    await assert.rejects(session.apply('add chain ip t half\nadd rule ip t c bogus rule\n'), /syntax error/);
    assert.doesNotMatch(list(), /half/, 'a failed transaction leaves nothing behind');
    // Queued back to back, each answered in order.
    await Promise.all(Array.from({ length: 20 }, (_, i) => session.apply(`add element ip t s { 10.0.0.${i} }`)));
    assert.equal((list().match(/10\.0\.0\.\d+/g) ?? []).length, 20);
    // A session whose nft died starts a new one on the next transaction.
    const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.equal(pids.length, 1);
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    await session.apply('add chain ip t after');
    assert.match(list(), /chain after/);
  } finally {
    session.close();
    execFileSync('ip', ['netns', 'delete', ns]);
  }
});
