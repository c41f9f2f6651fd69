import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCertificates, rotateCertificates } from './cert_files.js';
import { ensureServerPki } from './server.js';
import { writeFileAtomic } from './files.js';
import { issueClientCert } from './issue.js';
import { FakeClock, type Clock } from '../lib/clock.js';

const DAY_MS = 86_400_000;
const at = (ms: number): Clock => new FakeClock(ms);

test('check lists CAs and leaves with subject, usages and status; rotate backs up and removes the leaves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
  const t0 = Date.now();
  const pki = await ensureServerPki({ dataDir: dir, sans: { ips: ['10.0.0.1'], dnsNames: [] }, clock: at(t0), hostname: 'h' });
  const kubelet = await issueClientCert(pki.clientCA, { commonName: 'system:node:h', organizations: ['system:nodes'], clock: at(t0) });
  await writeFileAtomic(join(dir, 'agent', 'client-kubelet.crt'), kubelet.certPem, 0o644);
  await writeFileAtomic(join(dir, 'agent', 'client-kubelet.key'), kubelet.keyPem, 0o600);

  const reports = await checkCertificates(dir, at(t0));
  const byFile = Object.fromEntries(reports.map((r) => [r.file, r]));
  assert.deepEqual(Object.keys(byFile), ['server/tls/client-admin.crt', 'server/tls/client-ca.crt', 'server/tls/client-skiff-controller.crt', 'server/tls/server-ca.crt', 'server/tls/serving-kube-apiserver.crt', 'agent/client-kubelet.crt']);
  assert.deepEqual(byFile['server/tls/client-admin.crt']!.usages, ['ClientAuth']);
  assert.equal(byFile['server/tls/client-admin.crt']!.subject, 'system:admin');
  assert.deepEqual(byFile['server/tls/server-ca.crt']!.usages, ['CertSign']);
  assert.deepEqual(byFile['server/tls/serving-kube-apiserver.crt']!.usages, ['ServerAuth']);
  assert.ok(reports.every((r) => r.status === 'OK'));
  // 300 days on: leaves are within 90 days of their 365, CAs (10 years) are fine; past a year they expired.
  const later = await checkCertificates(dir, at(t0 + 300 * DAY_MS));
  assert.equal(later.find((r) => r.file === 'server/tls/client-admin.crt')!.status, 'WARNING');
  assert.equal(later.find((r) => r.file === 'server/tls/client-ca.crt')!.status, 'OK');
  assert.equal((await checkCertificates(dir, at(t0 + 366 * DAY_MS))).find((r) => r.file === 'agent/client-kubelet.crt')!.status, 'EXPIRED');

  const adminBefore = readFileSync(join(dir, 'server', 'tls', 'client-admin.crt'), 'utf8');
  const servingBefore = readFileSync(join(dir, 'server', 'tls', 'serving-kube-apiserver.crt'), 'utf8');
  const r = await rotateCertificates(dir, ['admin', 'kubelet'], at(t0));
  assert.equal(r.backupDir, join(dir, 'server', `tls-${Math.floor(t0 / 1000)}`));
  assert.deepEqual(r.removed, ['server/tls/client-admin.crt', 'server/tls/client-admin.key', 'agent/client-kubelet.crt', 'agent/client-kubelet.key']);
  assert.ok(readdirSync(r.backupDir).includes('client-admin.key'));
  assert.ok(existsSync(join(r.backupDir, 'agent', 'client-kubelet.crt')));
  assert.ok(existsSync(join(dir, 'server', 'tls', 'server-ca.key')), 'CAs stay');
  await assert.rejects(rotateCertificates(dir, ['etcd'], at(t0)), /unknown service "etcd"/);

  // The next start issues what rotate removed and keeps the rest, with the same CAs.
  const again = await ensureServerPki({ dataDir: dir, sans: { ips: ['10.0.0.1'], dnsNames: [] }, clock: at(t0 + 1000), hostname: 'h' });
  assert.notEqual(again.admin.certPem, adminBefore);
  assert.equal(again.serving.certPem, servingBefore);
  assert.equal(again.serverCA.certPem, pki.serverCA.certPem);
});
