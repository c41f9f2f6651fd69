import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { createCA, type CertificateAuthority } from './ca.js';
import { issueKubeletServingCert, issueNodeClientCert } from './node_certs.js';
import { kubeletServingSans, splitCertAndKey } from './node_identity.js';
import { publicKeyDer } from './keys.js';
import { certificateSans } from './san.js';
import { x509 } from './x509.js';

const clock = new FakeClock(1_700_000_000_000);
let serverCA: CertificateAuthority;
let clientCA: CertificateAuthority;
before(async () => {
  [serverCA, clientCA] = await Promise.all([createCA('server', clock), createCA('client', clock)]);
});

describe('node certificates', () => {
  it('issueNodeClientCert is CN=system:node:<name>, O=system:nodes, signed by the client CA, with a fresh key', async () => {
    const a = await issueNodeClientCert(clientCA, 'worker-1', clock);
    const b = await issueNodeClientCert(clientCA, 'worker-1', clock);
    const cert = new x509.X509Certificate(a.certPem);
    assert.equal(cert.subject, 'O=system:nodes, CN=system:node:worker-1');
    assert.equal(cert.issuer, clientCA.certificate.subject);
    assert.ok(await cert.verify({ publicKey: clientCA.certificate.publicKey, signatureOnly: true }));
    assert.ok(Buffer.from(cert.publicKey.rawData).equals(publicKeyDer(a.keyPem)));
    assert.notEqual(a.keyPem, b.keyPem);
  });

  it('issueKubeletServingCert carries the node name, localhost, 127.0.0.1 and the node IP, signed by the server CA', async () => {
    const { certPem } = await issueKubeletServingCert(serverCA, 'worker-1', ['10.0.0.7'], clock);
    const cert = new x509.X509Certificate(certPem);
    assert.equal(cert.subject, 'CN=worker-1');
    assert.deepEqual(certificateSans(new X509Certificate(certPem)), { dnsNames: ['worker-1', 'localhost'], ips: ['127.0.0.1', '10.0.0.7'] });
    assert.ok(await cert.verify({ publicKey: serverCA.certificate.publicKey, signatureOnly: true }));
  });

  it('kubeletServingSans drops empty and duplicate IPs', () => {
    assert.deepEqual(kubeletServingSans('localhost', ['', '127.0.0.1']), { dnsNames: ['localhost'], ips: ['127.0.0.1'] });
  });
});

describe('splitCertAndKey', () => {
  it('separates certificates from the key, in order', async () => {
    const leaf = await issueNodeClientCert(clientCA, 'n', clock);
    const split = splitCertAndKey(leaf.certPem + clientCA.certPem + leaf.keyPem);
    assert.equal(split.certPem, leaf.certPem + clientCA.certPem);
    assert.equal(split.keyPem, leaf.keyPem);
  });

  for (const [name, body] of [
    ['no key', () => clientCA.certPem],
    ['no cert', () => clientCA.keyPem],
    ['two keys', () => clientCA.certPem + clientCA.keyPem + serverCA.keyPem],
    ['garbage', () => 'not pem'],
  ] as const) {
    it(`throws for ${name}`, () => assert.throws(() => splitCertAndKey(body())));
  }
});
