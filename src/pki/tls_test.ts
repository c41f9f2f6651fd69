import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tls from 'node:tls';
import { FakeClock } from '../lib/clock.js';
import { createCA } from './ca.js';
import { issueClientCert, type IssuedCert } from './issue.js';
import { ensureServerPki, type ServerPki } from './server.js';

// Certificates are checked against the real time by OpenSSL, so the fake clock starts at now.
const clock = new FakeClock(Date.now());
let dataDir = '';
let pki: ServerPki;
let stranger: IssuedCert;
let server: tls.Server;
let port = 0;
const seen: { subject: tls.Certificate; authorized: boolean }[] = [];
const serverErrors: string[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'skiff-pki-tls-'));
  pki = await ensureServerPki({ dataDir, sans: { dnsNames: [], ips: [] }, clock, hostname: 'skiff-test' });
  stranger = await issueClientCert(await createCA('client', clock), { commonName: 'system:admin', organizations: ['system:masters'], clock });
  server = tls.createServer(
    { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.clientCA.certPem, requestCert: true, rejectUnauthorized: true },
    (socket) => {
      seen.push({ subject: socket.getPeerCertificate().subject, authorized: socket.authorized });
      socket.end('hello\n');
    },
  );
  // Rejected handshakes are expected here; the server records why.
  server.on('tlsClientError', (err) => serverErrors.push(err.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

interface Outcome {
  data: string;
  error?: string;
}

/** dial connects once and resolves with what the server sent or the error; bounded by a 5 s guard. */
function dial(opts: tls.ConnectionOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    let data = '';
    const socket = tls.connect({ host: '127.0.0.1', port, ...opts });
    const guard = setTimeout(() => socket.destroy(new Error('timeout')), 5000);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', (err) => {
      clearTimeout(guard);
      resolve({ data, error: err.message });
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ data });
    });
  });
}

describe('TLS with the server PKI', () => {
  it('accepts the admin cert and shows its subject to the server', async () => {
    const before = seen.length;
    const out = await dial({ ca: pki.serverCA.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem });
    assert.equal(out.error, undefined);
    assert.equal(out.data, 'hello\n');
    const s = seen[before]!;
    assert.equal(s.authorized, true);
    assert.equal(s.subject.CN, 'system:admin');
    assert.equal(s.subject.O, 'system:masters');
  });

  it('verifies the serving cert by DNS name too', async () => {
    const out = await dial({ ca: pki.serverCA.certPem, cert: pki.controller.certPem, key: pki.controller.keyPem, servername: 'kubernetes.default.svc' });
    assert.equal(out.data, 'hello\n');
  });

  // side: who notices the failure, and the error it reports. The client may only see the socket
  // close, and Node's server reports an untrusted client cert merely as a hang-up, hence /./ there.
  const rejected: [string, () => tls.ConnectionOptions, 'server' | 'client', RegExp][] = [
    ['a client cert from another CA', () => ({ ca: pki.serverCA.certPem, cert: stranger.certPem, key: stranger.keyPem }), 'server', /./],
    ['no client cert', () => ({ ca: pki.serverCA.certPem }), 'server', /certificate/i],
    ['trusting the client CA for the server', () => ({ ca: pki.clientCA.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem }), 'client', /certificate/i],
    ['a name not in the SANs', () => ({ ca: pki.serverCA.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, servername: 'evil.example' }), 'client', /altnames|does not match/i],
  ];
  for (const [name, opts, side, want] of rejected) {
    it(`rejects ${name}`, async () => {
      const before = seen.length;
      const errorsBefore = serverErrors.length;
      const out = await dial(opts());
      assert.equal(out.data, '');
      assert.equal(seen.length, before, 'server must not accept the connection');
      const reported = side === 'server' ? serverErrors.slice(errorsBefore).join('; ') : (out.error ?? '');
      assert.match(reported, want);
    });
  }

  it('explains why a foreign client cert is untrusted (verify-if-given, as kube-apiserver)', async () => {
    const lenient = tls.createServer(
      { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.clientCA.certPem, requestCert: true, rejectUnauthorized: false },
      (socket) => socket.end(`${socket.authorized} ${String(socket.authorizationError ?? '')}\n`),
    );
    await new Promise<void>((resolve) => lenient.listen(0, '127.0.0.1', resolve));
    try {
      const lenientPort = (lenient.address() as AddressInfo).port;
      const out = await dial({ port: lenientPort, ca: pki.serverCA.certPem, cert: stranger.certPem, key: stranger.keyPem });
      assert.match(out.data, /^false [A-Z_]*(ISSUER|VERIFY|SIGNATURE)/);
      const ok = await dial({ port: lenientPort, ca: pki.serverCA.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem });
      assert.equal(ok.data, 'true \n');
    } finally {
      await new Promise<void>((resolve) => lenient.close(() => resolve()));
    }
  });
});
