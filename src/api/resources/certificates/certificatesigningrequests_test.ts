import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { b64, testCsr } from '../../../pki/csr_test_helper.js';
import { certificatesigningrequests as csrs } from './certificatesigningrequests.js';
import { approvalUpdate, validateCsrUpdate } from './csr_validation.js';
import { parseCertificateRequest } from './csr_request.js';
import { keepApprovalConditions, populateConditionTimestamps } from './csr_conditions.js';

const { csrPem } = await testCsr({ commonName: 'alice', organizations: ['dev', 'ops'], dnsNames: ['a.example.com'], ips: ['10.0.0.1'] });

function csr(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  const o: KubeObject = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'alice', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { request: b64(csrPem), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec } };
  if (status) o.status = status;
  return o;
}

const messages = (o: KubeObject, old?: KubeObject): string[] => {
  csrs.defaults(o);
  return csrs.validate(o, old).map((e) => fieldErrorMessage(e));
};

test('parseCertificateRequest reads subject and SANs and checks the signature', async () => {
  const info = parseCertificateRequest(csrPem);
  assert.equal(info.commonName, 'alice');
  assert.deepEqual(info.organizations, ['dev', 'ops']);
  assert.deepEqual(info.dnsNames, ['a.example.com']);
  assert.deepEqual(info.ipAddresses, ['10.0.0.1']);
  // One flipped byte in the signature: the request no longer verifies.
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 3]! ^= 0xff;
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  assert.throws(() => parseCertificateRequest(tampered), /x509: ECDSA verification failure|malformed/);
  assert.throws(() => parseCertificateRequest('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /PEM block type must be CERTIFICATE REQUEST/);
});

test('parseCertificateRequest accepts what openssl req makes (RSA)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-csr-'));
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'r'), '-subj', '/CN=bob/O=dev'], { stdio: 'ignore' });
  const info = parseCertificateRequest(readFileSync(join(dir, 'r')));
  assert.equal(info.commonName, 'bob');
  assert.deepEqual(info.organizations, ['dev']);
});

test('create validation', () => {
  const cases: { name: string; obj: KubeObject; want: string[] }[] = [
    { name: 'valid', obj: csr(), want: [] },
    { name: 'not a CSR', obj: csr({ request: b64('hello') }), want: [`spec.request: Invalid value: "${b64('hello')}": PEM block type must be CERTIFICATE REQUEST`] },
    { name: 'no usages', obj: csr({ usages: [] }), want: ['spec.usages: Required value'] },
    { name: 'unknown usage', obj: csr({ usages: ['client auth', 'flying'] }), want: [/^spec.usages\[1\]: Unsupported value: "flying": supported values: "any", "cert sign"/.source] },
    { name: 'duplicate usage', obj: csr({ usages: ['client auth', 'client auth'] }), want: ['spec.usages[1]: Duplicate value: "client auth"'] },
    { name: 'no signer', obj: csr({ signerName: '' }), want: ['spec.signerName: Required value'] },
    { name: 'signer without path', obj: csr({ signerName: 'example.com' }), want: ['spec.signerName: Invalid value: "example.com": must be a fully qualified domain and path of the form \'example.com/signer-name\''] },
    { name: 'signer one label', obj: csr({ signerName: 'example/x' }), want: ['spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots'] },
    { name: 'legacy signer', obj: csr({ signerName: 'kubernetes.io/legacy-unknown' }), want: ['spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version'] },
    { name: 'short expiry', obj: csr({ expirationSeconds: 599 }), want: ['spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)'] },
  ];
  for (const c of cases) {
    const got = messages(c.obj);
    if (c.name === 'unknown usage') assert.match(got[0] ?? '', new RegExp(c.want[0]!), c.name);
    else assert.deepEqual(got, c.want, c.name);
  }
});

test('prepareForCreate drops the requestor fields and any status', () => {
  const o = csr({ username: 'root', groups: ['system:masters'], uid: '1', extra: { a: ['b'] } }, { conditions: [{ type: 'Approved', status: 'True' }] });
  csrs.prepareForCreate!(o);
  assert.deepEqual(Object.keys(o.spec as object).sort(), ['request', 'signerName', 'usages']);
  assert.deepEqual(o.status, {});
});

test('updates through the main endpoint keep spec and status', () => {
  const old = csr({ username: 'alice' }, { conditions: [] });
  const next = csr({ signerName: 'example.com/other', usages: ['server auth'] }, { conditions: [{ type: 'Approved', status: 'True' }] });
  csrs.prepareForUpdate!(next, old);
  assert.deepEqual(next.spec, old.spec);
  assert.deepEqual(next.status, old.status);
});

test('status updates: certificate set once, approval conditions kept as stored', () => {
  const approved = csr({}, { conditions: [{ type: 'Approved', status: 'True', reason: 'R' }] });
  const withCert = csr({}, { conditions: [{ type: 'Approved', status: 'True', reason: 'R' }], certificate: b64('junk') });
  assert.deepEqual(messages(withCert, approved), ['status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block']);
  const sneaky = csr({}, { conditions: [{ type: 'Approved', status: 'True', reason: 'R' }, { type: 'Denied', status: 'True' }, { type: 'Failed', status: 'True', reason: 'X' }] });
  keepApprovalConditions(sneaky, approved);
  assert.deepEqual((sneaky.status as { conditions: { type: string }[] }).conditions.map((c) => c.type), ['Approved', 'Failed']);
  assert.deepEqual(messages(sneaky, approved), []);
  const addsApproval = csr({}, { conditions: [{ type: 'Approved', status: 'True' }] });
  assert.deepEqual(messages(addsApproval, csr({}, { conditions: [] })), ['status.conditions: Forbidden: updates may not add a condition of type "Approved"']);
});

test('approval updates: Approved xor Denied, no removal, status True only, timestamps', () => {
  const rules = { allowSettingApprovalConditions: true, allowSettingCertificate: false };
  const pending = csr({}, {});
  const approve = approvalUpdate(pending, csr({}, { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove' }], certificate: b64('ignored') }));
  assert.equal((approve.status as { certificate?: string }).certificate, undefined, 'only conditions come from the body');
  assert.deepEqual(validateCsrUpdate(approve, pending, rules), []);
  populateConditionTimestamps(approve, pending, '2024-01-02T00:00:00Z');
  assert.deepEqual((approve.status as { conditions: unknown[] }).conditions, [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', lastUpdateTime: '2024-01-02T00:00:00Z', lastTransitionTime: '2024-01-02T00:00:00Z' }]);
  const both = approvalUpdate(approve, csr({}, { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Denied', status: 'True' }] }));
  assert.deepEqual(validateCsrUpdate(both, approve, rules).map((e) => fieldErrorMessage(e)), ['status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive']);
  const removed = approvalUpdate(approve, csr({}, { conditions: [] }));
  assert.deepEqual(validateCsrUpdate(removed, approve, rules).map((e) => fieldErrorMessage(e)), ['status.conditions: Forbidden: updates may not remove a condition of type "Approved"']);
  const falseStatus = approvalUpdate(pending, csr({}, { conditions: [{ type: 'Denied', status: 'False' }] }));
  assert.deepEqual(validateCsrUpdate(falseStatus, pending, rules).map((e) => fieldErrorMessage(e)), ['status.conditions[0].status: Unsupported value: "False": supported values: "True"']);
});

test('row and columns are kubectl get csr', () => {
  const now = Date.parse('2024-01-01T00:00:30Z');
  assert.deepEqual(csrs.columns.map((c) => c.name), ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
  assert.deepEqual(csrs.row(csr({ username: 'admin', expirationSeconds: 86400 }), now), ['alice', '30s', 'kubernetes.io/kube-apiserver-client', 'admin', '24h', 'Pending']);
  const issued = csr({ username: 'admin' }, { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'eA==' });
  assert.equal(csrs.row(issued, now)[5], 'Approved,Issued');
  assert.equal(csrs.row(csr({}, { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Failed', status: 'True' }] }), now)[5], 'Approved,Failed');
  assert.equal(csrs.row(csr({}, { conditions: [{ type: 'Denied', status: 'True' }] }), now)[4], '<none>');
  assert.deepEqual(csrs.fieldLabels?.(csr()), { 'spec.signerName': 'kubernetes.io/kube-apiserver-client' });
});
