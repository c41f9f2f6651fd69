import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CompactedError, FutureRevisionError } from './backend.js';
import { dec, enc, EventCollector, mustCreate, settle, withBackend, type BackendFactory } from './contract_helpers.js';

/** lifecycleContract registers the compaction and close tests of the backend contract. */
export function lifecycleContract(factory: BackendFactory): void {
  it('compacts history: old reads and watches fail with CompactedError, current data stays', () =>
    withBackend(factory, async (b) => {
      await mustCreate(b, '/a', 'a1'); // 1
      await mustCreate(b, '/b', 'b1'); // 2
      await b.update('/a', enc('a2'), 1); // 3
      await b.delete('/b'); // 4
      await mustCreate(b, '/c', 'c1'); // 5
      await b.update('/a', enc('a3'), 3); // 6
      await b.compact(5);
      assert.equal(await b.compactedRevision(), 5);
      await assert.rejects(b.get('/a', 4), CompactedError);
      await assert.rejects(b.list('/', { revision: 4 }), CompactedError);
      assert.throws(() => b.watch('/', 4, new EventCollector()), CompactedError);
      const at5 = await b.list('/', { revision: 5 });
      assert.deepEqual(at5.kvs.map((kv) => `${kv.key}=${dec(kv.value)}@${kv.modRevision}`), ['/a=a2@3', '/c=c1@5']);
      const now = await b.list('/');
      assert.deepEqual(now.kvs.map((kv) => `${kv.key}=${dec(kv.value)}@${kv.createRevision}/${kv.modRevision}`), ['/a=a3@1/6', '/c=c1@5/5']);
      assert.equal((await b.count('/')).count, 2);
      const w = new EventCollector();
      const handle = b.watch('/', 5, w);
      const [e] = await w.waitFor(1);
      handle.stop();
      assert.equal(e?.kv.modRevision, 6);
      assert.equal(dec(e?.prevKv?.value), 'a2');
      await b.compact(3); // below the compacted revision: nothing to do
      assert.equal(await b.compactedRevision(), 5);
      await assert.rejects(b.compact(7), FutureRevisionError);
      assert.equal((await b.create('/b', enc('b2'))).revision, 7);
    }));

  it('ends a replaying watch with CompactedError when compaction overtakes it', () =>
    withBackend(factory, async (b) => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => b.create(`/r/${i}`, enc('v'))));
      await Promise.all(Array.from({ length: 50 }, (_, i) => b.update(`/r/${i}`, enc('v2'), i + 1)));
      const w = new EventCollector();
      b.watch('/r/', 0, w);
      await b.compact(90);
      await settle(20);
      // Either the replay finished first (all 100 events) or it was cut off with CompactedError.
      if (w.events.length < 100) assert.ok(w.error instanceof CompactedError, `got ${String(w.error)}`);
      w.events.forEach((e, i) => assert.equal(e.kv.modRevision, i + 1));
    }));

  it('close ends watches and makes later calls fail', () =>
    withBackend(factory, async (b) => {
      await mustCreate(b, '/a', 'v');
      const w = new EventCollector();
      b.watch('/', 1, w);
      await b.close();
      assert.ok((await w.waitForError()) instanceof Error);
      await assert.rejects(b.get('/a'));
      await assert.rejects(b.create('/b', enc('v')));
      await assert.rejects(b.list('/'));
      assert.throws(() => b.watch('/', 0, new EventCollector()));
      await b.close(); // idempotent
    }));
}
