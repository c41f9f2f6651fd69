import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootstrapTokenFromSecret,
  bootstrapTokenSecret,
  generateBootstrapToken,
  isBootstrapTokenExpired,
  parseBootstrapToken,
  validateBootstrapTokenOptions,
  type BootstrapToken,
} from './bootstrap_token.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('bootstrap tokens', () => {
  it('generates tokens of the form [a-z0-9]{6}.[a-z0-9]{16}, each different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const t = generateBootstrapToken();
      assert.match(t, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      seen.add(t);
    }
    assert.equal(seen.size, 50);
  });

  const parses: [string, ReturnType<typeof parseBootstrapToken>][] = [
    ['abcdef.0123456789abcdef', { id: 'abcdef', secret: '0123456789abcdef' }],
    ['ABCDEF.0123456789abcdef', undefined],
    ['abcde.0123456789abcdef', undefined],
    ['abcdef.0123456789abcde', undefined],
    ['abcdef:0123456789abcdef', undefined],
    ['serversecrethex', undefined],
  ];
  for (const [s, want] of parses) it(`parses ${JSON.stringify(s)}`, () => assert.deepEqual(parseBootstrapToken(s), want));

  it('stores a token as upstream’s Secret and reads it back', () => {
    const token: BootstrapToken = { id: 'abcdef', secret: '0123456789abcdef', expiresAt: Date.parse('2026-03-01T10:00:00Z'), usages: ['signing', 'authentication'], groups: ['system:bootstrappers:skiff:default-node-token'], description: 'for worker-3' };
    const s = bootstrapTokenSecret(token);
    assert.deepEqual(s, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
      type: 'bootstrap.kubernetes.io/token',
      data: {
        'token-id': b64('abcdef'),
        'token-secret': b64('0123456789abcdef'),
        description: b64('for worker-3'),
        expiration: b64('2026-03-01T10:00:00Z'),
        'usage-bootstrap-signing': b64('true'),
        'usage-bootstrap-authentication': b64('true'),
        'auth-extra-groups': b64('system:bootstrappers:skiff:default-node-token'),
      },
    });
    assert.deepEqual(bootstrapTokenFromSecret(s), token);
  });

  it('reads a token without expiration as never expiring', () => {
    const t = bootstrapTokenFromSecret(bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef', usages: [], groups: [], description: '' }));
    assert.equal(t?.expiresAt, undefined);
    assert.equal(isBootstrapTokenExpired(t!, Date.now() + 1e12), false);
  });

  it('takes an unparsable expiration as expired, and ignores Secrets that are not tokens', () => {
    const s = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef', usages: [], groups: [], description: '' }) as { data: Record<string, string> };
    s.data.expiration = b64('tomorrow');
    assert.equal(isBootstrapTokenExpired(bootstrapTokenFromSecret(s)!, 1), true);
    assert.equal(bootstrapTokenFromSecret({ ...s, type: 'Opaque' }), undefined);
    assert.equal(bootstrapTokenFromSecret({ ...s, metadata: { name: 'bootstrap-token-other1' } }), undefined);
    assert.equal(bootstrapTokenFromSecret(undefined), undefined);
  });

  it('expires at the expiration instant', () => {
    const t: BootstrapToken = { id: 'abcdef', secret: '0123456789abcdef', expiresAt: 1000, usages: [], groups: [], description: '' };
    assert.equal(isBootstrapTokenExpired(t, 999), false);
    assert.equal(isBootstrapTokenExpired(t, 1000), true);
  });

  it('validates usages and groups as kubeadm does', () => {
    assert.deepEqual(validateBootstrapTokenOptions(['signing', 'authentication'], ['system:bootstrappers:skiff:default-node-token']), []);
    assert.match(validateBootstrapTokenOptions(['ssh'], []).join(), /invalid bootstrap token usage string: ssh/);
    assert.match(validateBootstrapTokenOptions([], ['system:masters']).join(), /bootstrap group "system:masters" is invalid/);
  });
});
