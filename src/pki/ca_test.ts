import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { CA_VALIDITY_DAYS, createCA, ensureCA, loadCA } from './ca.js';
import { x509 } from './x509.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'skiff-pki-ca-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('createCA', () => {
  it('makes a self-signed P-256 CA shaped like k3s', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const ca = await createCA('server', clock);
    const c = ca.certificate;
    assert.equal(c.subject, 'CN=skiff-server-ca@1700000000');
    assert.equal(c.issuer, c.subject);
    assert.equal(c.notBefore.getTime(), 1_700_000_000_000);
    assert.equal(c.notAfter.getTime(), 1_700_000_000_000 + CA_VALIDITY_DAYS * 86_400_000);
    assert.equal(c.getExtension(x509.BasicConstraintsExtension)?.ca, true);
    const ku = c.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    const want = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;
    assert.equal(ku & want, want);
    assert.ok(await c.verify({ signatureOnly: true }));
    assert.match(ca.keyPem, /^-----BEGIN EC PRIVATE KEY-----\n/);
    assert.match(ca.certPem, /-----END CERTIFICATE-----\n$/);
  });
});

describe('ensureCA', () => {
  it('creates once, then reloads the same bytes', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const first = await ensureCA(dir, 'client', clock);
    assert.equal((await stat(join(dir, 'client-ca.key'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'client-ca.crt'))).mode & 0o777, 0o644);
    clock.advance(60_000);
    const second = await ensureCA(dir, 'client', clock);
    assert.equal(second.certPem, first.certPem);
    assert.equal(second.keyPem, first.keyPem);
    assert.equal(await readFile(join(dir, 'client-ca.crt'), 'utf8'), first.certPem);
    assert.match(second.certificate.subject, /^CN=skiff-client-ca@\d+$/);
  });

  it('refuses an incomplete pair instead of replacing the CA', async () => {
    const dir = await tempDir();
    const ca = await createCA('server', new FakeClock());
    await writeFile(join(dir, 'server-ca.crt'), ca.certPem);
    await assert.rejects(ensureCA(dir, 'server', new FakeClock()), /incomplete/);
  });

  it('refuses a key that does not match the certificate', async () => {
    const a = await createCA('server', new FakeClock());
    const b = await createCA('server', new FakeClock());
    await assert.rejects(loadCA('server', a.certPem, b.keyPem), /does not match/);
  });
});
