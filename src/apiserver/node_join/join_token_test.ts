import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { errors, isStatusError } from '../../api/errors.js';
import type { ApiRequest, Transport } from '../../api/transport.js';
import { FakeClock } from '../../lib/clock.js';
import { bootstrapTokenSecret, type BootstrapToken } from '../../pki/index.js';
import { checkJoinToken } from './join_token.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/** SecretStore answers GETs of the Secrets it holds, by name. */
function secretStore(objects: Record<string, unknown>[]): Transport {
  return {
    async request(req: ApiRequest): Promise<unknown> {
      assert.equal(req.namespace, 'kube-system');
      const o = objects.find((x) => (x as { metadata: { name: string } }).metadata.name === req.name);
      if (!o) throw errors.notFound({ group: '', resource: 'secrets' }, req.name ?? '');
      return o;
    },
    watch: () => Promise.reject(new Error('not used')),
  };
}

const token = (id: string, over: Partial<BootstrapToken> = {}, expires = true): Record<string, unknown> =>
  bootstrapTokenSecret({ id, secret: '0123456789abcdef', usages: ['authentication', 'signing'], groups: [], description: '', ...(expires ? { expiresAt: NOW + 3_600_000 } : {}), ...over });

const transport = secretStore([
  token('abcdef'),
  token('old123', { expiresAt: NOW - 1000 }),
  token('forevr', {}, false),
  token('signer', { usages: ['signing'] }),
  { ...token('typed1'), type: 'Opaque' },
]);
const req = (password: string, user = 'node'): IncomingMessage => ({ headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } }) as IncomingMessage;
const check = (password: string, user?: string): Promise<void> => checkJoinToken(req(password, user), { tokenSecret: 'serversecret', transport, clock: new FakeClock(NOW) });

async function refusal(p: Promise<void>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isStatusError(e) && e.status.code === 401, String(e));
    return e.message;
  }
  assert.fail('accepted');
}

describe('checkJoinToken', () => {
  it('accepts the server token secret', () => check('serversecret'));
  it('accepts a valid bootstrap token as node or server user', async () => {
    await check('abcdef.0123456789abcdef');
    await check('abcdef.0123456789abcdef', 'server');
  });
  it('accepts a token that never expires', () => check('forevr.0123456789abcdef'));
  const refused: [string, string, RegExp][] = [
    ['a wrong server secret', 'nope', /node token/],
    ['an unknown token id', 'zzzzzz.0123456789abcdef', /bootstrap token zzzzzz is unknown/],
    ['a wrong token secret', 'abcdef.ffffffffffffffff', /bootstrap token abcdef is unknown/],
    ['a token without the authentication usage', 'signer.0123456789abcdef', /not valid for authentication/],
    ['a Secret of another type', 'typed1.0123456789abcdef', /unknown/],
    ['an expired token', 'old123.0123456789abcdef', /bootstrap token old123 expired at 2025-12-31T23:59:59\.000Z; create a new one/],
  ];
  for (const [name, password, message] of refused) {
    it(`refuses ${name} with 401`, async () => assert.match(await refusal(check(password)), message));
  }
  it('refuses another basic-auth user with a bootstrap token', async () => assert.match(await refusal(check('abcdef.0123456789abcdef', 'admin')), /node token/));
});
