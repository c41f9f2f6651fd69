import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { createCA, type CertificateAuthority } from './ca.js';
import { issueClientCert, issueServingCert, LEAF_VALIDITY_DAYS } from './issue.js';
import { generateKeyPem, publicKeyDer } from './keys.js';
import { certificateSans } from './san.js';
import { x509 } from './x509.js';

const clock = new FakeClock(1_700_000_000_000);
let ca: CertificateAuthority;
before(async () => {
  ca = await createCA('server', clock);
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('issueServingCert', () => {
  it('signs a serverAuth cert with the given SANs', async () => {
    const { certPem } = await issueServingCert(ca, {
      commonName: 'kube-apiserver',
      dnsNames: ['localhost', 'Kubernetes.Default.'],
      ips: ['127.0.0.1', '0:0::1', '10.43.0.1'],
      clock,
    });
    const cert = new x509.X509Certificate(certPem);
    assert.equal(cert.subject, 'CN=kube-apiserver');
    assert.equal(cert.issuer, ca.certificate.subject);
    assert.deepEqual(certificateSans(new X509Certificate(certPem)), { dnsNames: ['localhost', 'kubernetes.default'], ips: ['127.0.0.1', '::1', '10.43.0.1'] });
    assert.deepEqual([...(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])], [x509.ExtendedKeyUsage.serverAuth]);
    assert.equal(cert.getExtension(x509.BasicConstraintsExtension)?.ca, false);
    assert.equal(cert.notAfter.getTime(), clock.now() + LEAF_VALIDITY_DAYS * 86_400_000);
    assert.ok(await cert.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }));
    // Node's own parser agrees it is issued by the CA.
    assert.ok(new NodeX509(certPem).checkIssued(new NodeX509(ca.certPem)));
  });

  it('rejects an invalid IP', async () => {
    await assert.rejects(issueServingCert(ca, { commonName: 'x', ips: ['300.1.1.1'] }), /invalid IP/);
  });

  it('shows the SANs in openssl x509 -text', { skip: !hasOpenssl() && 'openssl not installed' }, async () => {
    const { certPem } = await issueServingCert(ca, { commonName: 'kube-apiserver', dnsNames: ['skiff.test'], ips: ['10.43.0.1', '::1'] });
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: certPem }).toString();
    assert.match(text, /DNS:skiff\.test/);
    assert.match(text, /IP Address:10\.43\.0\.1/);
    assert.match(text, /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
    assert.match(text, /TLS Web Server Authentication/);
  });
});

describe('issueClientCert', () => {
  it('puts O then CN in the subject, with clientAuth', async () => {
    const { certPem } = await issueClientCert(ca, { commonName: 'system:admin', organizations: ['system:masters'], days: 30, clock });
    const cert = new x509.X509Certificate(certPem);
    assert.equal(cert.subject, 'O=system:masters, CN=system:admin');
    assert.deepEqual([...(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])], [x509.ExtendedKeyUsage.clientAuth]);
    assert.equal(cert.notAfter.getTime(), clock.now() + 30 * 86_400_000);
  });

  it('reuses a given key', async () => {
    const keyPem = generateKeyPem();
    const issued = await issueClientCert(ca, { commonName: 'node', keyPem });
    assert.equal(issued.keyPem, keyPem);
    const cert = new x509.X509Certificate(issued.certPem);
    assert.ok(Buffer.from(cert.publicKey.rawData).equals(publicKeyDer(keyPem)));
  });

  it('rejects a non-positive validity', async () => {
    await assert.rejects(issueClientCert(ca, { commonName: 'x', days: 0 }), /positive/);
  });
});
