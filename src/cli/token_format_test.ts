import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOKEN_LIST_HEADER, formatTable, shortHumanDuration, tokenListRow } from './token_format.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('token list format', () => {
  const durations: [number, string][] = [
    [-5000, '<invalid>'],
    [-500, '0s'],
    [45_000, '45s'],
    [59 * 60_000, '59m'],
    [3_600_000 - 1, '59m'],
    [23 * 3_600_000 + 59 * 60_000, '23h'],
    [47 * 3_600_000, '47h'],
    [3 * 86_400_000, '3d'],
    [800 * 86_400_000, '2y'],
  ];
  for (const [ms, want] of durations) it(`renders ${ms} ms as ${want}`, () => assert.equal(shortHumanDuration(ms), want));

  it('prints kubeadm’s row for a token', () => {
    const row = tokenListRow({ id: 'abcdef', secret: '0123456789abcdef', expiresAt: NOW + 3_600_000, usages: ['signing', 'authentication'], groups: ['system:bootstrappers:skiff:default-node-token'], description: 'w3' }, NOW);
    assert.deepEqual(row, ['abcdef.0123456789abcdef', '1h', '2026-01-01T01:00:00Z', 'authentication,signing', 'w3', 'system:bootstrappers:skiff:default-node-token']);
  });

  it('prints <forever>, <never> and <none> for what a token lacks', () => {
    assert.deepEqual(tokenListRow({ id: 'abcdef', secret: '0123456789abcdef', usages: [], groups: [], description: '' }, NOW).slice(1), ['<forever>', '<never>', '<none>', '<none>', '<none>']);
  });

  it('aligns columns with three spaces of padding', () => {
    const out = formatTable([TOKEN_LIST_HEADER, ['abcdef.0123456789abcdef', '1h', 'x', 'y', 'z', 'g']]).split('\n');
    assert.equal(out[0], 'TOKEN                     TTL       EXPIRES   USAGES    DESCRIPTION   EXTRA GROUPS');
    assert.equal(out[1], 'abcdef.0123456789abcdef   1h        x         y         z             g');
  });
});
