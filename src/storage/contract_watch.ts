import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertConsecutive, dec, enc, EventCollector, mustCreate, settle, withBackend, type BackendFactory } from './contract_helpers.js';

/** watchContract registers the watch tests of the backend contract. */
export function watchContract(factory: BackendFactory): void {
  replayWatches(factory);
  liveWatches(factory);
}

function replayWatches(factory: BackendFactory): void {
  it('replays history then goes live: ordered, gap-free, duplicate-free, including writes during replay', () =>
    withBackend(factory, async (b) => {
      const before = 1200;
      const during = 300;
      await Promise.all(Array.from({ length: before }, (_, i) => b.create(`/w/${i}`, enc('v'))));
      const w = new EventCollector();
      const handle = b.watch('/w/', 0, w);
      // Not awaited before the replay runs: these land while history is being read.
      const writes = Promise.all(Array.from({ length: during }, (_, i) => b.create(`/w/late${i}`, enc('v'))));
      const events = await w.waitFor(before + during);
      await writes;
      await settle();
      handle.stop();
      assert.equal(w.events.length, before + during);
      assertConsecutive(events, 1);
      assert.equal(w.error, undefined);
    }));

  it('starts after the given revision and skips other prefixes', () =>
    withBackend(factory, async (b) => {
      for (let i = 1; i <= 6; i++) await mustCreate(b, i % 2 ? `/odd/${i}` : `/even/${i}`, `v${i}`);
      const w = new EventCollector();
      const handle = b.watch('/odd/', 2, w);
      await mustCreate(b, '/odd/7', 'v7');
      await mustCreate(b, '/oddity', 'no');
      const events = await w.waitFor(3);
      await settle();
      handle.stop();
      assert.deepEqual(w.events.map((e) => e.kv.key), ['/odd/3', '/odd/5', '/odd/7']);
      assert.deepEqual(events.map((e) => e.kv.modRevision), [3, 5, 7]);
    }));

  it('reports prevKv on updates and the deleted value on deletes, replayed or live', () =>
    withBackend(factory, async (b) => {
      const live = new EventCollector();
      const liveHandle = b.watch('/k', 0, live);
      await mustCreate(b, '/k', 'v1');
      await b.update('/k', enc('v2'), 1);
      await b.delete('/k');
      const replay = new EventCollector();
      const replayHandle = b.watch('/k', 0, replay);
      for (const w of [live, replay]) {
        const shown = (await w.waitFor(3)).map((e) => ({
          type: e.type, value: dec(e.kv.value), create: e.kv.createRevision, mod: e.kv.modRevision,
          prev: e.prevKv && `${dec(e.prevKv.value)}@${e.prevKv.modRevision}`,
        }));
        assert.deepEqual(shown, [
          { type: 'PUT', value: 'v1', create: 1, mod: 1, prev: undefined },
          { type: 'PUT', value: 'v2', create: 1, mod: 2, prev: 'v1@1' },
          { type: 'DELETE', value: 'v2', create: 1, mod: 3, prev: 'v2@2' },
        ]);
      }
      liveHandle.stop();
      replayHandle.stop();
    }));

}

function liveWatches(factory: BackendFactory): void {
  it('stops delivering after stop()', () =>
    withBackend(factory, async (b) => {
      const w = new EventCollector();
      const handle = b.watch('/s/', 0, w);
      await mustCreate(b, '/s/1', 'v');
      await w.waitFor(1);
      handle.stop();
      await mustCreate(b, '/s/2', 'v');
      await settle();
      assert.equal(w.events.length, 1);
      assert.equal(w.error, undefined);
    }));

  it('waits for later events when started at a future revision', () =>
    withBackend(factory, async (b) => {
      await mustCreate(b, '/f/1', 'v');
      const w = new EventCollector();
      const handle = b.watch('/f/', 3, w);
      for (let i = 2; i <= 5; i++) await mustCreate(b, `/f/${i}`, 'v');
      const events = await w.waitFor(2);
      await settle();
      handle.stop();
      assert.deepEqual(events.map((e) => e.kv.modRevision), [4, 5]);
    }));
}
