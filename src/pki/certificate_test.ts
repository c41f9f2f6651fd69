import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { createCA, type CertificateAuthority } from './ca.js';
import { RENEW_BEFORE_DAYS, certificateNotAfter, leafStillValid, pemCertificates, subjectMatches } from './certificate.js';
import { issueClientCert, issueServingCert, type IssuedCert } from './issue.js';
import { generateKeyPem } from './keys.js';

const DAY = 24 * 60 * 60 * 1000;
const clock = new FakeClock(1_700_000_000_000);
let ca: CertificateAuthority;
let other: CertificateAuthority;
let leaf: IssuedCert;

before(async () => {
  [ca, other] = await Promise.all([createCA('server', clock), createCA('other', clock)]);
  leaf = await issueClientCert(ca, { commonName: 'system:node:a,b', organizations: ['system:nodes', 'x+y'], clock });
});

describe('pemCertificates', () => {
  it('parses every certificate of a bundle, in order, skipping other blocks', () => {
    const certs = pemCertificates(leaf.keyPem + leaf.certPem + ca.certPem);
    assert.equal(certs.length, 2);
    assert.equal(certs[1]!.subject, `CN=${ca.certificate.subjectName.getField('CN')[0]!}`);
  });
  it('throws without a certificate', () => assert.throws(() => pemCertificates(leaf.keyPem), /no CERTIFICATE/));
});

describe('certificate readers agree with @peculiar/x509', () => {
  it('certificateNotAfter', () => {
    assert.equal(certificateNotAfter(new X509Certificate(ca.certPem)), ca.certificate.notAfter.getTime());
  });
  it('subjectMatches reads CN and every O, escapes undone, order of O ignored', () => {
    const cert = new X509Certificate(leaf.certPem);
    assert.equal(subjectMatches(cert, 'system:node:a,b', ['x+y', 'system:nodes']), true);
    assert.equal(subjectMatches(cert, 'system:node:a,b', ['system:nodes']), false);
    assert.equal(subjectMatches(cert, 'system:node:a', ['system:nodes', 'x+y']), false);
  });
});

describe('leafStillValid', () => {
  const now = (): X509Certificate => new X509Certificate(leaf.certPem);
  const cases: [string, () => boolean, boolean][] = [
    ['fresh, own key, signed by the CA', () => leafStillValid(now(), leaf.keyPem, new X509Certificate(ca.certPem), clock), true],
    ['signed by another CA', () => leafStillValid(now(), leaf.keyPem, new X509Certificate(other.certPem), clock), false],
    ['another key', () => leafStillValid(now(), generateKeyPem(), new X509Certificate(ca.certPem), clock), false],
    ['a key that does not parse', () => leafStillValid(now(), 'junk', new X509Certificate(ca.certPem), clock), false],
    [
      'inside the renewal window',
      () => leafStillValid(now(), leaf.keyPem, new X509Certificate(ca.certPem), new FakeClock(clock.now() + (365 - RENEW_BEFORE_DAYS) * DAY)),
      false,
    ],
    [
      'just before the renewal window',
      () => leafStillValid(now(), leaf.keyPem, new X509Certificate(ca.certPem), new FakeClock(clock.now() + (364 - RENEW_BEFORE_DAYS) * DAY)),
      true,
    ],
  ];
  for (const [name, check, want] of cases) it(name, () => assert.equal(check(), want));

  it('serving certs verify too', async () => {
    const s = await issueServingCert(ca, { commonName: 'n1', dnsNames: ['n1'], clock });
    assert.equal(leafStillValid(new X509Certificate(s.certPem), s.keyPem, new X509Certificate(ca.certPem), clock), true);
  });
});
