import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distinguishedNameValues, parseDistinguishedName } from './distinguished_name.js';

describe('parseDistinguishedName', () => {
  // Inputs are what node:crypto's X509Certificate prints for subject/issuer.
  const cases: [string, string, [string, string][]][] = [
    ['one RDN', 'CN=n1', [['CN', 'n1']]],
    ['one per line', 'O=system:nodes\nCN=system:node:n1', [['O', 'system:nodes'], ['CN', 'system:node:n1']]],
    ['multi-valued RDN', 'O=a + O=b\nCN=c', [['O', 'a'], ['O', 'b'], ['CN', 'c']]],
    ['RFC 2253 escapes', 'CN=a\\,b\\+c \\"d\\" \\\\e', [['CN', 'a,b+c "d" \\e']]],
    ['escaped plus is no separator', 'O=x \\+ y + O=z', [['O', 'x + y'], ['O', 'z']]],
    ['hex escape of a control byte', 'CN=a\\0Ab', [['CN', 'a\nb']]],
    ['escaped edge spaces', 'CN=\\ a\\ ', [['CN', ' a ']]],
    ['equals inside the value', 'CN=a=b', [['CN', 'a=b']]],
    ['empty text', '', []],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => assert.deepEqual(parseDistinguishedName(text).map((a) => [a.type, a.value]), want));
  }

  it('distinguishedNameValues collects one type across RDNs, in order', () => {
    assert.deepEqual(distinguishedNameValues('O=a + O=b\nCN=c\nO=d', 'O'), ['a', 'b', 'd']);
    assert.deepEqual(distinguishedNameValues('CN=c', 'O'), []);
  });
});
