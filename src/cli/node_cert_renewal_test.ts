import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { FakeClock, realClock, type Clock } from '../lib/clock.js';
import { createLogger, silentLogger } from '../lib/log.js';
import { createCA, issueKubeletServingCert, issueNodeClientCert, type CertificateAuthority } from '../pki/index.js';
import type { NodeCredentials } from '../pki/agent.js';
import { KubeletServer } from '../agent/index.js';
import type { HttpTransport } from '../client/http_transport.js';
import { UsageError } from './flags.js';
import { RenewableTransport, expiryOf, renewalTime, startNodeCertRenewal } from './node_cert_renewal.js';

const DAY_MS = 86_400_000;

/** credsAt issues short-lived node credentials (days) at the clock's time. */
async function credsAt(clientCA: CertificateAuthority, serverCA: CertificateAuthority, clock: Clock, days: number): Promise<NodeCredentials> {
  return {
    serverCaPem: serverCA.certPem,
    clientCaPem: clientCA.certPem,
    client: await issueNodeClientCert(clientCA, 'n1', clock, days),
    serving: await issueKubeletServingCert(serverCA, 'n1', ['127.0.0.1'], clock, days),
  };
}

/** StepClock is a fake clock that runs its timers in order, letting real async work (signing) settle after each. */
class StepClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): () => void {
    const t = { at: this.current + ms, fn };
    this.timers.push(t);
    return () => {
      this.timers = this.timers.filter((x) => x !== t);
    };
  }
  /** run moves time forward by ms, firing due timers one at a time. */
  async run(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let i = 0; i < 1000; i++) {
      await new Promise((r) => setTimeout(r, 15));
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = target;
    await new Promise((r) => setTimeout(r, 60));
  }
}

function recordingLogger(lines: string[]) {
  return createLogger({ level: 'debug', write: (l) => lines.push(l) });
}

test('renews at 80 % of the validity, swaps the new certificates in, and keeps renewing', async () => {
  const clock = new StepClock(Date.now());
  const [clientCA, serverCA] = [await createCA('client', clock), await createCA('server', clock)];
  const first = await credsAt(clientCA, serverCA, clock, 1);
  assert.ok(Math.abs(renewalTime(first, 0.8) - (clock.now() + 0.8 * DAY_MS)) < 5000);
  const applied: NodeCredentials[] = [];
  const ac = new AbortController();
  const done = startNodeCertRenewal({ current: first, fetch: () => credsAt(clientCA, serverCA, clock, 1), apply: (c) => void applied.push(c), clock, logger: silentLogger, signal: ac.signal });
  await clock.run(0.75 * DAY_MS);
  assert.equal(applied.length, 0, 'nothing before 80 %');
  await clock.run(0.1 * DAY_MS);
  assert.equal(applied.length, 1, 'renewed once past 80 %');
  assert.ok(expiryOf(applied[0]!) > expiryOf(first));
  await clock.run(0.9 * DAY_MS);
  assert.equal(applied.length, 2, 'the renewed certificates are renewed in turn');
  ac.abort();
  await done;
});

test('retries with backoff within a round; a failed round says what to do and tries again before expiry', async () => {
  const clock = new StepClock(Date.now());
  const [clientCA, serverCA] = [await createCA('client', clock), await createCA('server', clock)];
  const first = await credsAt(clientCA, serverCA, clock, 1);
  let calls = 0;
  const fetchTimes: number[] = [];
  const lines: string[] = [];
  const applied: NodeCredentials[] = [];
  const ac = new AbortController();
  const fetch = async (): Promise<NodeCredentials> => {
    calls++;
    fetchTimes.push(clock.now());
    if (calls <= 3) throw new Error('connect ECONNREFUSED');
    if (calls === 4) throw new UsageError('the server refused the token (401)');
    return credsAt(clientCA, serverCA, clock, 1);
  };
  const done = startNodeCertRenewal({ current: first, fetch, apply: (c) => void applied.push(c), clock, logger: recordingLogger(lines), signal: ac.signal, attempts: 3, backoffMs: 1000, retryIntervalMs: 3_600_000 });
  await clock.run(0.81 * DAY_MS);
  assert.equal(calls, 3, 'one round: three attempts');
  assert.deepEqual(fetchTimes.slice(1).map((t, i) => Math.round((t - fetchTimes[i]!) / 1000)), [1, 2], 'backoff doubles');
  assert.ok(lines.some((l) => /could not renew the node certificates: check that the server is reachable/.test(l)), lines.join('\n'));
  await clock.run(0.07 * DAY_MS);
  assert.equal(calls, 4, 'next round after the retry interval; a refusal ends the round at once');
  assert.equal(applied.length, 0);
  await clock.run(0.07 * DAY_MS);
  assert.equal(calls, 5);
  assert.equal(applied.length, 1, 'renewed on a later round, before expiry');
  ac.abort();
  await done;
});

test('the kubelet API serves a renewed certificate on new connections without a restart', async () => {
  const clock = new FakeClock(Date.now());
  const [clientCA, serverCA] = [await createCA('client', realClock), await createCA('server', realClock)];
  const a = await credsAt(clientCA, serverCA, clock, 1);
  const b = await credsAt(clientCA, serverCA, clock, 2);
  const server = new KubeletServer({ bindAddress: '127.0.0.1', port: 0, tls: { certPem: a.serving.certPem, keyPem: a.serving.keyPem, clientCaPem: a.clientCaPem }, pods: async () => undefined, runtime: {} as never, logger: silentLogger });
  const port = await server.start();
  const served = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, ca: serverCA.certPem, servername: 'n1', cert: a.client.certPem, key: a.client.keyPem }, () => {
        resolve(s.getPeerX509Certificate()?.validTo ?? '');
        s.destroy();
      });
      s.on('error', reject);
    });
  try {
    const before = await served();
    server.updateTLS({ certPem: b.serving.certPem, keyPem: b.serving.keyPem, clientCaPem: b.clientCaPem });
    const after = await served();
    assert.notEqual(after, before);
    assert.ok(Date.parse(after) > Date.parse(before));
  } finally {
    await server.stop();
  }
});

test('RenewableTransport sends new calls through the new transport and closes the old one after the grace period', async () => {
  const clock = new FakeClock(Date.now());
  const fake = (name: string, closed: string[]) => ({ request: async () => name, watch: async () => () => undefined, close: () => void closed.push(name) }) as unknown as HttpTransport;
  const closed: string[] = [];
  const t = new RenewableTransport(fake('old', closed), clock, 60_000);
  assert.equal(await t.request({ verb: 'get', group: '', version: 'v1', resource: 'nodes' }), 'old');
  t.swap(fake('new', closed));
  assert.equal(await t.request({ verb: 'get', group: '', version: 'v1', resource: 'nodes' }), 'new');
  assert.deepEqual(closed, []);
  clock.advance(60_000);
  assert.deepEqual(closed, ['old']);
  t.close();
  assert.deepEqual(closed, ['old', 'new']);
});
