import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ValueTooLargeError } from './backend.js';
import { assertConsecutive, dec, enc, EventCollector, mustCreate, withBackend, type BackendFactory } from './contract_helpers.js';

/** writeContract registers the create/update/delete tests of the backend contract. */
export function writeContract(factory: BackendFactory): void {
  singleWrites(factory);
  deleteWrites(factory);
  groupWrites(factory);
}

function singleWrites(factory: BackendFactory): void {
  it('starts empty and increases the revision by one per successful write', () =>
    withBackend(factory, async (b) => {
      assert.equal(await b.currentRevision(), 0);
      assert.equal(await b.compactedRevision(), 0);
      assert.equal(await mustCreate(b, '/a', '1'), 1);
      assert.equal(await mustCreate(b, '/b', '1'), 2);
      assert.equal((await b.update('/a', enc('2'), 1)).revision, 3);
      assert.equal((await b.create('/a', enc('x'))).ok, false);
      assert.equal((await b.delete('/b')).revision, 4);
      assert.equal(await b.currentRevision(), 4);
    }));

  it('fails create on an existing key as a value carrying the current kv', () =>
    withBackend(factory, async (b) => {
      await mustCreate(b, '/a', 'first');
      const r = await b.create('/a', enc('second'));
      assert.equal(r.ok, false);
      assert.equal(r.revision, 1);
      assert.equal(dec(r.kv?.value), 'first');
      assert.equal(r.kv?.modRevision, 1);
    }));

  it('updates by compare-and-swap on modRevision', () =>
    withBackend(factory, async (b) => {
      await mustCreate(b, '/a', 'v1');
      const ok = await b.update('/a', enc('v2'), 1);
      assert.deepEqual(ok.ok && { ...ok.kv, value: dec(ok.kv.value) }, {
        key: '/a', value: 'v2', createRevision: 1, modRevision: 2,
      });
      const stale = await b.update('/a', enc('v3'), 1);
      assert.equal(stale.ok, false);
      assert.equal(stale.revision, 2);
      assert.equal(dec(stale.kv?.value), 'v2');
      const absent = await b.update('/missing', enc('x'), 1);
      assert.deepEqual(absent, { ok: false, revision: 2, kv: undefined });
      assert.equal(dec((await b.get('/a')).kv?.value), 'v2');
    }));

}

function deleteWrites(factory: BackendFactory): void {
  const deletes: { name: string; expected: number | undefined; ok: boolean }[] = [
    { name: 'without expected revision', expected: undefined, ok: true },
    { name: 'with the matching revision', expected: 2, ok: true },
    { name: 'with a stale revision', expected: 1, ok: false },
  ];
  for (const tc of deletes) {
    it(`deletes ${tc.name}`, () =>
      withBackend(factory, async (b) => {
        await mustCreate(b, '/a', 'v1');
        await b.update('/a', enc('v2'), 1);
        const r = await b.delete('/a', tc.expected);
        assert.equal(r.ok, tc.ok);
        assert.equal(dec(r.kv?.value), 'v2');
        assert.equal(r.kv?.createRevision, 1);
        assert.equal(r.revision, tc.ok ? 3 : 2);
        if (tc.ok) assert.equal(r.kv?.modRevision, 3, 'deleted kv carries the delete revision');
        assert.equal((await b.get('/a')).kv === undefined, tc.ok);
      }));
  }

  it('fails delete of an absent key and gives a re-created key a new createRevision', () =>
    withBackend(factory, async (b) => {
      assert.deepEqual(await b.delete('/a'), { ok: false, revision: 0, kv: undefined });
      await mustCreate(b, '/a', 'v1');
      await b.delete('/a');
      const again = await b.create('/a', enc('v2'));
      assert.equal(again.ok && again.kv.createRevision, 3);
    }));

}

function groupWrites(factory: BackendFactory): void {
  it('gives 200 concurrent creates distinct consecutive revisions, seen in order by a watcher', () =>
    withBackend(factory, async (b) => {
      const w = new EventCollector();
      const handle = b.watch('/c/', 0, w);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => b.create(`/c/${i}`, enc(`v${i}`))));
      const revisions = results.map((r) => r.revision).sort((x, y) => x - y);
      assert.deepEqual(revisions, Array.from({ length: 200 }, (_, i) => i + 1));
      assert.ok(results.every((r) => r.ok));
      const events = await w.waitFor(200);
      handle.stop();
      assert.equal(events.length, 200);
      assertConsecutive(events, 1);
      for (const e of events) assert.equal(dec(e.kv.value), `v${e.kv.key.slice(3)}`);
    }));

  it('keeps a failed compare inside a concurrent group from affecting the others', () =>
    withBackend(factory, async (b) => {
      await mustCreate(b, '/y', 'y1');
      const [x1, x2, y, z] = await Promise.all([
        b.create('/x', enc('first')),
        b.create('/x', enc('second')),
        b.update('/y', enc('y2'), 99),
        b.create('/z', enc('z')),
      ]);
      assert.equal(x1.ok, true);
      assert.equal(x2.ok, false);
      assert.equal(dec(x2.kv?.value), 'first');
      assert.equal(y.ok, false);
      assert.equal(z.ok && z.revision, (x1.ok ? x1.revision : 0) + 1);
      assert.equal(await b.currentRevision(), 3);
    }));

  it('rejects values above the limit with ValueTooLargeError and accepts one at the limit', () =>
    withBackend(factory, async (b) => {
      const limit = 1.5 * 1024 * 1024;
      await assert.rejects(b.create('/big', new Uint8Array(limit + 1)), ValueTooLargeError);
      const ok = await b.create('/big', new Uint8Array(limit));
      assert.equal(ok.ok, true);
      await assert.rejects(b.update('/big', new Uint8Array(limit + 1), ok.revision), ValueTooLargeError);
      assert.equal(await b.currentRevision(), 1);
    }));
}
