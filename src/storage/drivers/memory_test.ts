import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { CompactedError } from '../backend.js';
import { dec, enc } from '../contract_helpers.js';
import { runBackendContract } from '../contract.js';
import { MemoryBackend } from './memory.js';

runBackendContract('memory', async () => {
  const backend = new MemoryBackend();
  return { backend, cleanup: () => backend.close() };
});

describe('MemoryBackend', () => {
  it('compacts on its schedule once started', async () => {
    const clock = new FakeClock();
    const b = new MemoryBackend({ clock, compactIntervalMs: 1000, compactRetainRevisions: 5 });
    b.start();
    await b.create('/x', enc('0'));
    for (let i = 1; i < 20; i++) await b.update('/x', enc(String(i)), i);
    clock.advance(999);
    assert.equal(await b.compactedRevision(), 0);
    clock.advance(1);
    assert.equal(await b.compactedRevision(), 15);
    assert.equal(dec((await b.get('/x', 15)).kv?.value), '14');
    await assert.rejects(b.get('/x', 14), CompactedError);
    await b.close();
    clock.advance(5000);
  });
});
