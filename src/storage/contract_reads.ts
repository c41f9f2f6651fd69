import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FutureRevisionError, type Backend, type ListOptions } from './backend.js';
import { dec, enc, mustCreate, withBackend, type BackendFactory } from './contract_helpers.js';

async function listed(b: Backend, prefix: string, opts?: ListOptions): Promise<string[]> {
  const r = await b.list(prefix, opts);
  return r.kvs.map((kv) => `${kv.key}=${dec(kv.value)}`);
}

/** history writes a small history: revisions 1..5 as commented. */
async function history(b: Backend): Promise<void> {
  await mustCreate(b, '/h/a', 'a1'); // 1
  await mustCreate(b, '/h/b', 'b1'); // 2
  await b.update('/h/a', enc('a2'), 1); // 3
  await b.delete('/h/b'); // 4
  await mustCreate(b, '/h/c', 'c1'); // 5
}

/** readContract registers the get/list/count tests of the backend contract. */
export function readContract(factory: BackendFactory): void {
  revisionReads(factory);
  rangeReads(factory);
}

function revisionReads(factory: BackendFactory): void {
  it('gets and lists as of an older revision', () =>
    withBackend(factory, async (b) => {
      await history(b);
      const states: { rev: number; list: string[] }[] = [
        { rev: 1, list: ['/h/a=a1'] },
        { rev: 2, list: ['/h/a=a1', '/h/b=b1'] },
        { rev: 3, list: ['/h/a=a2', '/h/b=b1'] },
        { rev: 4, list: ['/h/a=a2'] },
        { rev: 5, list: ['/h/a=a2', '/h/c=c1'] },
      ];
      for (const s of states) {
        assert.deepEqual(await listed(b, '/h/', { revision: s.rev }), s.list, `list at ${s.rev}`);
        assert.equal((await b.list('/h/', { revision: s.rev })).revision, s.rev);
      }
      assert.deepEqual(await listed(b, '/h/'), ['/h/a=a2', '/h/c=c1']);
      const a1 = await b.get('/h/a', 2);
      assert.deepEqual({ rev: a1.revision, value: dec(a1.kv?.value), mod: a1.kv?.modRevision }, { rev: 2, value: 'a1', mod: 1 });
      assert.equal(dec((await b.get('/h/b', 3)).kv?.value), 'b1');
      assert.equal((await b.get('/h/b', 4)).kv, undefined);
      assert.equal((await b.get('/h/b')).kv, undefined);
      assert.equal((await b.get('/h/c', 4)).kv, undefined);
      assert.equal((await b.get('/h/c')).revision, 5);
      await assert.rejects(b.get('/h/a', 6), FutureRevisionError);
      await assert.rejects(b.list('/h/', { revision: 6 }), FutureRevisionError);
    }));

}

function rangeReads(factory: BackendFactory): void {
  it('keeps list prefixes to their boundary', () =>
    withBackend(factory, async (b) => {
      const keys = ['/registry/pod', '/registry/pods', '/registry/pods/a', '/registry/pods/b', '/registry/podsX', '/registry/pods0', '/registry/services/x'];
      for (const k of keys) await mustCreate(b, k, 'v');
      const cases: { prefix: string; want: string[] }[] = [
        { prefix: '/registry/pods/', want: ['/registry/pods/a', '/registry/pods/b'] },
        { prefix: '/registry/pods', want: ['/registry/pods', '/registry/pods/a', '/registry/pods/b', '/registry/pods0', '/registry/podsX'] },
        { prefix: '/registry/services/', want: ['/registry/services/x'] },
        { prefix: '/registry/none/', want: [] },
        { prefix: '', want: [...keys].sort() },
      ];
      for (const tc of cases) {
        const r = await b.list(tc.prefix);
        assert.deepEqual(r.kvs.map((kv) => kv.key), tc.want, `list ${tc.prefix}`);
        assert.equal(r.more, false);
        assert.equal((await b.count(tc.prefix)).count, tc.want.length, `count ${tc.prefix}`);
      }
      assert.equal((await b.count('/registry/pods/')).revision, keys.length);
    }));

  it('pages with limit and startKey, reporting more', () =>
    withBackend(factory, async (b) => {
      const keys = Array.from({ length: 10 }, (_, i) => `/p/k${i}`);
      for (const k of keys) await mustCreate(b, k, 'v');
      await mustCreate(b, '/q/other', 'v');
      const seen: string[] = [];
      let startKey: string | undefined;
      let pages = 0;
      for (; pages < 10; pages++) {
        const r = await b.list('/p/', startKey === undefined ? { limit: 3 } : { limit: 3, startKey });
        seen.push(...r.kvs.map((kv) => kv.key));
        assert.equal(r.revision, 11);
        if (!r.more) break;
        assert.equal(r.kvs.length, 3);
        startKey = `${r.kvs[r.kvs.length - 1]?.key ?? ''}\u0000`;
      }
      assert.equal(pages, 3, 'four pages: 3+3+3+1');
      assert.deepEqual(seen, keys);
      assert.equal((await b.list('/p/', { limit: 10 })).more, false);
      assert.equal((await b.list('/p/', { limit: 9 })).more, true);
      assert.deepEqual((await b.list('/p/', { startKey: '/p/k8' })).kvs.map((kv) => kv.key), ['/p/k8', '/p/k9']);
      assert.equal((await b.list('/p/', { startKey: '/a' })).kvs.length, 10, 'a startKey below the prefix is ignored');
      assert.equal((await b.list('/p/', { startKey: '/z' })).kvs.length, 0);
    }));

  it('pages a list at an older revision consistently while writes continue', () =>
    withBackend(factory, async (b) => {
      for (let i = 0; i < 6; i++) await mustCreate(b, `/p/k${i}`, 'old');
      const first = await b.list('/p/', { limit: 3 });
      await b.delete('/p/k4');
      await b.update('/p/k5', enc('new'), 6);
      await mustCreate(b, '/p/k3a', 'new');
      const next = await b.list('/p/', { limit: 3, startKey: '/p/k2\u0000', revision: first.revision });
      assert.deepEqual(next.kvs.map((kv) => `${kv.key}=${dec(kv.value)}`), ['/p/k3=old', '/p/k4=old', '/p/k5=old']);
      assert.equal(next.more, false);
      assert.deepEqual(await listed(b, '/p/', { startKey: '/p/k3' }), ['/p/k3=old', '/p/k3a=new', '/p/k5=new']);
    }));
}
