import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { createCA } from './ca.js';
import { issueServingCert } from './issue.js';
import { publicKeyDer } from './keys.js';
import { certificateSans } from './san.js';
import { ensureServerPki, serverPkiFiles } from './server.js';
import { x509 } from './x509.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'skiff-pki-server-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const noSans = { dnsNames: [], ips: [] };

async function snapshot(dataDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const files = serverPkiFiles(dataDir);
  for (const [k, p] of Object.entries(files)) if (k !== 'tlsDir') out[k] = await readFile(p, 'utf8');
  return out;
}

describe('ensureServerPki', () => {
  it('creates CAs, serving, admin and controller certs with the expected contents', async () => {
    const dataDir = await tempDir();
    const pki = await ensureServerPki({ dataDir, sans: { dnsNames: ['skiff.example'], ips: ['10.43.0.1'] }, clock: new FakeClock(), hostname: 'node-a' });
    const serving = new x509.X509Certificate(pki.serving.certPem);
    const sans = certificateSans(new X509Certificate(pki.serving.certPem));
    for (const d of ['localhost', 'node-a', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'skiff.example']) {
      assert.ok(sans.dnsNames.includes(d), d);
    }
    assert.deepEqual([...sans.ips].sort(), ['10.43.0.1', '127.0.0.1', '::1']);
    assert.equal(serving.issuer, pki.serverCA.certificate.subject);
    assert.equal(new x509.X509Certificate(pki.admin.certPem).subject, 'O=system:masters, CN=system:admin');
    assert.equal(new x509.X509Certificate(pki.admin.certPem).issuer, pki.clientCA.certificate.subject);
    assert.equal(new x509.X509Certificate(pki.controller.certPem).subject, 'O=system:masters, CN=system:skiff-controller');
    assert.notEqual(pki.serverCA.certPem, pki.clientCA.certPem);
    for (const k of [pki.files.servingKey, pki.files.adminKey, pki.files.controllerKey, join(pki.files.tlsDir, 'server-ca.key')]) {
      assert.equal((await stat(k)).mode & 0o777, 0o600, k);
    }
  });

  it('reuses every file byte for byte on restart', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    const opts = { dataDir, sans: { dnsNames: [], ips: ['10.43.0.1'] }, clock, hostname: 'node-a' };
    const first = await ensureServerPki(opts);
    const before = await snapshot(dataDir);
    clock.advance(3_600_000);
    const second = await ensureServerPki(opts);
    assert.deepEqual(await snapshot(dataDir), before);
    assert.equal(second.serving.certPem, first.serving.certPem);
    assert.equal(second.admin.keyPem, first.admin.keyPem);
  });

  it('re-issues the serving cert (same CA and key) when a new SAN is wanted', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    const first = await ensureServerPki({ dataDir, sans: noSans, clock, hostname: 'h' });
    const second = await ensureServerPki({ dataDir, sans: { dnsNames: ['new.example'], ips: ['192.0.2.7'] }, clock, hostname: 'h' });
    assert.notEqual(second.serving.certPem, first.serving.certPem);
    assert.equal(second.serving.keyPem, first.serving.keyPem);
    assert.equal(second.serverCA.certPem, first.serverCA.certPem);
    assert.equal(second.admin.certPem, first.admin.certPem);
    const sans = certificateSans(new X509Certificate(second.serving.certPem));
    assert.ok(sans.dnsNames.includes('new.example'));
    assert.ok(sans.ips.includes('192.0.2.7'));
    assert.equal(await readFile(second.files.servingCert, 'utf8'), second.serving.certPem);
    // Asking for a subset again keeps the wider cert.
    const third = await ensureServerPki({ dataDir, sans: noSans, clock, hostname: 'h' });
    assert.equal(third.serving.certPem, second.serving.certPem);
  });

  it('renews leaf certs near expiry and replaces a cert signed by another CA', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    const first = await ensureServerPki({ dataDir, sans: noSans, clock, hostname: 'h' });
    clock.advance(300 * 86_400_000);
    const renewed = await ensureServerPki({ dataDir, sans: noSans, clock, hostname: 'h' });
    assert.notEqual(renewed.admin.certPem, first.admin.certPem);
    assert.equal(renewed.clientCA.certPem, first.clientCA.certPem);

    const foreign = await issueServingCert(await createCA('server', clock), { commonName: 'kube-apiserver', keyPem: renewed.serving.keyPem, clock });
    await writeFile(renewed.files.servingCert, foreign.certPem);
    const fixed = await ensureServerPki({ dataDir, sans: noSans, clock, hostname: 'h' });
    const cert = new x509.X509Certificate(fixed.serving.certPem);
    assert.ok(await cert.verify({ publicKey: fixed.serverCA.certificate.publicKey, signatureOnly: true }));
    assert.ok(Buffer.from(cert.publicKey.rawData).equals(publicKeyDer(renewed.serving.keyPem)));
  });
});
