import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureNodePasswordFile, generateNodePassword, hashNodePassword, verifyNodePassword } from './node_password.js';

describe('hashNodePassword / verifyNodePassword', () => {
  it('verifies the right password and refuses another; salts differ', async () => {
    const pw = generateNodePassword();
    const [h1, h2] = await Promise.all([hashNodePassword(pw), hashNodePassword(pw)]);
    assert.match(h1, /^\$scrypt\$N=16384,r=8,p=1\$/);
    assert.notEqual(h1, h2);
    assert.ok(!h1.includes(pw));
    assert.equal(await verifyNodePassword(pw, h1), true);
    assert.equal(await verifyNodePassword(pw, h2), true);
    assert.equal(await verifyNodePassword(pw + 'x', h1), false);
  });

  for (const [name, hash] of [
    ['empty', ''],
    ['plain text', 'secret'],
    ['absurd cost', '$scrypt$N=1073741824,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['short key', '$scrypt$N=16384,r=8,p=1$c2FsdA==$a2V5'],
  ] as const) {
    it(`never matches a ${name} hash`, async () => {
      assert.equal(await verifyNodePassword('secret', hash), false);
    });
  }
});

describe('ensureNodePasswordFile', () => {
  it('creates a 0600 random password once and keeps it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-nodepw-'));
    try {
      const path = join(dir, 'agent', 'node-password');
      const first = await ensureNodePasswordFile(path);
      assert.match(first, /^[0-9a-f]{64}$/);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(await ensureNodePasswordFile(path), first);
      writeFileSync(path, '  mine \n');
      assert.equal(await ensureNodePasswordFile(path), 'mine');
      writeFileSync(path, '\n');
      const replaced = await ensureNodePasswordFile(path);
      assert.notEqual(replaced, 'mine');
      assert.equal(readFileSync(path, 'utf8').trim(), replaced);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
