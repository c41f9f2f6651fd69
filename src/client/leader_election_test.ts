import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num, str } from '../api/object.js';
import type { Transport } from '../api/transport.js';
import { FakeClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { Client, R } from './client.js';
import { microTime, runLeaderElection } from './leader_election.js';
import { fakeApi } from './testing/fake_api_test_helper.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

async function advance(clock: FakeClock, ms: number, step = 500): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush();
  }
}

/** candidate runs one elector; `down` makes its API calls fail, as a partitioned process. */
function candidate(transport: Transport, clock: FakeClock, identity: string) {
  const state = { leading: false, started: 0, stopped: 0, down: false, leadSignal: undefined as AbortSignal | undefined };
  const flaky: Transport = {
    request: (r) => (state.down ? Promise.reject(new Error('connection refused')) : transport.request(r)),
    watch: (r, e, c) => transport.watch(r, e, c),
  };
  const ac = new AbortController();
  const done = runLeaderElection({
    client: new Client(flaky),
    namespace: 'kube-system',
    name: 'kube-controller-manager',
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock,
    logger: silentLogger,
    signal: ac.signal,
    onStartedLeading(signal) {
      state.leading = true;
      state.started++;
      state.leadSignal = signal;
    },
    onStoppedLeading() {
      state.leading = false;
      state.stopped++;
    },
  });
  return { state, stop: () => ac.abort(), done };
}

type Candidate = ReturnType<typeof candidate>;

/** withTwoCandidates runs body with candidates a and then b (a started first) over one fake API on a fake clock. */
async function withTwoCandidates(body: (c: { clock: FakeClock; api: Awaited<ReturnType<typeof fakeApi>>; a: Candidate; b: Candidate }) => Promise<void>): Promise<void> {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
  const api = await fakeApi({ clock });
  try {
    const a = candidate(api.client.transport, clock, 'a');
    await flush();
    const b = candidate(api.client.transport, clock, 'b');
    await body({ clock, api, a, b });
  } finally {
    api.stop();
  }
}

test('microTime has microsecond precision', () => {
  assert.equal(microTime(Date.parse('2024-01-02T03:04:05.123Z')), '2024-01-02T03:04:05.123000Z');
});

test('one candidate leads; the other takes over after the leader stops renewing', async () => {
  await withTwoCandidates(async ({ clock, api, a, b }) => {
    await advance(clock, 4_000);
    assert.equal(a.state.leading, true);
    assert.equal(b.state.leading, false);
    const lease = await api.client.resource(R.leases).get('kube-system', 'kube-controller-manager');
    assert.equal(str(lease, 'spec', 'holderIdentity'), 'a');
    assert.equal(num(lease, 'spec', 'leaseDurationSeconds'), 15);
    assert.match(str(lease, 'spec', 'renewTime') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(num(lease, 'spec', 'leaseTransitions'), 0);

    a.state.down = true;
    await advance(clock, 10_000);
    assert.equal(a.state.leading, false, 'a gives up after the renew deadline');
    assert.equal(a.state.leadSignal?.aborted, true);
    await a.done;
    assert.equal(b.state.leading, false, 'b waits for the lease to expire');
    await advance(clock, 8_000);
    assert.equal(b.state.leading, true);
    const taken = await api.client.resource(R.leases).get('kube-system', 'kube-controller-manager');
    assert.equal(str(taken, 'spec', 'holderIdentity'), 'b');
    assert.equal(num(taken, 'spec', 'leaseTransitions'), 1);
    b.stop();
    await b.done;
    assert.equal(b.state.stopped, 1);
    const released = await api.client.resource(R.leases).get('kube-system', 'kube-controller-manager');
    assert.equal(str(released, 'spec', 'holderIdentity'), '');
  });
});

test('a released lease is taken at the next retry', async () => {
  await withTwoCandidates(async ({ clock, a, b }) => {
    await advance(clock, 2_000);
    assert.equal(a.state.leading, true);
    a.stop();
    await a.done;
    await advance(clock, 2_000);
    assert.equal(b.state.leading, true);
    b.stop();
    await b.done;
  });
});
