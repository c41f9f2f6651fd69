import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ensureSigningKey, serviceAccountKeyPath } from './signing_key.js';
import { TokenSigner } from './signer.js';

test('the signing key is created once, root-only, and kept across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sakey-'));
  try {
    const path = serviceAccountKeyPath(dir);
    assert.equal(path, join(dir, 'server', 'tls', 'service.key'));
    const first = await ensureSigningKey(path);
    assert.match(first, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(await ensureSigningKey(path), first);
    // The key id is the base64url SHA-256 of the public key's DER, stable for the same key.
    assert.equal(new TokenSigner(first).keyId, new TokenSigner(await ensureSigningKey(path)).keyId);
    writeFileSync(path, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await assert.rejects(ensureSigningKey(path), /must be an RSA private key, found ec/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
