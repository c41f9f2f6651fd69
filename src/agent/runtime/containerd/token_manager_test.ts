import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { FakeClock } from '../../../lib/clock.js';
import { PodTokens, type TokenFor } from './token_manager.js';
import { VolumeError } from './volume_sources.js';

const pod: KubeObject = { metadata: { name: 'web', namespace: 'shop', uid: 'pod-1' }, spec: { serviceAccountName: 'builder' } };

function setup() {
  const clock = new FakeClock();
  const asked: TokenFor[] = [];
  let fail = false;
  const tokens = new PodTokens(async (req) => {
    asked.push(req);
    if (fail) throw new Error('serviceaccounts "builder" not found');
    return { token: `t${asked.length}`, expiresAt: clock.now() + req.expirationSeconds * 1000, expirationSeconds: req.expirationSeconds };
  }, clock);
  return { clock, asked, tokens, failing: (v: boolean) => (fail = v) };
}

test('a projected token is requested for the pod and renewed at 80 % of its life', async () => {
  const w = setup();
  assert.equal(await w.tokens.get(pod, '', 3600), 't1');
  assert.deepEqual(w.asked[0], { namespace: 'shop', serviceAccountName: 'builder', podName: 'web', podUID: 'pod-1', audience: '', expirationSeconds: 3600 });
  w.clock.advance(2879_000);
  assert.equal(await w.tokens.get(pod, '', 3600), 't1');
  w.clock.advance(1000);
  assert.equal(await w.tokens.get(pod, '', 3600), 't2', 'renewed at 2880 s');
  // Each (audience, lifetime) has its own token.
  assert.equal(await w.tokens.get(pod, 'vault', 3600), 't3');
  assert.equal(w.asked[2]?.audience, 'vault');
});

test('long-lived tokens are renewed after a day; a failed renewal keeps the valid token', async () => {
  const w = setup();
  assert.equal(await w.tokens.get(pod, '', 7 * 86400), 't1');
  w.clock.advance(86400_000);
  assert.equal(await w.tokens.get(pod, '', 7 * 86400), 't2');
  w.failing(true);
  w.clock.advance(86400_000);
  assert.equal(await w.tokens.get(pod, '', 7 * 86400), 't2', 'still valid: served while renewal fails');
  w.tokens.clear();
  await assert.rejects(w.tokens.get(pod, '', 7 * 86400), (e: Error) => e instanceof VolumeError && e.message === 'failed to fetch token: serviceaccounts "builder" not found');
});
