import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testCsr, type TestCsrOptions } from '../../../pki/csr_test_helper.js';
import { parseCertificateRequest } from './csr_request.js';
import { checkSigner, type SignerVerdict } from './csr_signers.js';

const CLIENT = 'kubernetes.io/kube-apiserver-client';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const SERVING = 'kubernetes.io/kubelet-serving';

const node: TestCsrOptions = { commonName: 'system:node:n1', organizations: ['system:nodes'] };
const servingNode: TestCsrOptions = { ...node, dnsNames: ['n1'], ips: ['10.0.0.5'] };

const cases: { name: string; signer: string; csr: TestCsrOptions; usages: string[]; want: SignerVerdict }[] = [
  { name: 'user client cert', signer: CLIENT, csr: { commonName: 'alice', organizations: ['dev'] }, usages: ['client auth'], want: { recognized: true } },
  { name: 'user client cert, optional usages', signer: CLIENT, csr: { commonName: 'alice' }, usages: ['digital signature', 'key encipherment', 'client auth'], want: { recognized: true } },
  { name: 'user client cert with server auth', signer: CLIENT, csr: { commonName: 'alice' }, usages: ['client auth', 'server auth'], want: { recognized: true, error: 'invalid usage for client certificate: server auth' } },
  { name: 'user client cert without client auth', signer: CLIENT, csr: { commonName: 'alice' }, usages: ['digital signature'], want: { recognized: true, error: 'missing required usage for client certificate: client auth' } },
  { name: 'kubelet client', signer: KUBELET_CLIENT, csr: node, usages: ['digital signature', 'key encipherment', 'client auth'], want: { recognized: true } },
  { name: 'kubelet client without key encipherment (ECDSA)', signer: KUBELET_CLIENT, csr: node, usages: ['digital signature', 'client auth'], want: { recognized: true } },
  { name: 'kubelet client wrong org', signer: KUBELET_CLIENT, csr: { commonName: 'system:node:n1', organizations: ['system:masters'] }, usages: ['digital signature', 'client auth'], want: { recognized: true, error: 'subject organization is not system:nodes' } },
  { name: 'kubelet client wrong CN', signer: KUBELET_CLIENT, csr: { commonName: 'n1', organizations: ['system:nodes'] }, usages: ['digital signature', 'client auth'], want: { recognized: true, error: 'subject common name does not begin with system:node:' } },
  { name: 'kubelet client with DNS SAN', signer: KUBELET_CLIENT, csr: { ...node, dnsNames: ['n1'] }, usages: ['digital signature', 'client auth'], want: { recognized: true, error: 'DNS subjectAltNames are not allowed' } },
  { name: 'kubelet client with IP SAN', signer: KUBELET_CLIENT, csr: { ...node, ips: ['10.0.0.1'] }, usages: ['digital signature', 'client auth'], want: { recognized: true, error: 'IP subjectAltNames are not allowed' } },
  { name: 'kubelet client wrong usages', signer: KUBELET_CLIENT, csr: node, usages: ['client auth'], want: { recognized: true, error: 'usages did not match [client auth digital signature key encipherment]' } },
  { name: 'kubelet serving', signer: SERVING, csr: servingNode, usages: ['digital signature', 'key encipherment', 'server auth'], want: { recognized: true } },
  { name: 'kubelet serving (ECDSA usages)', signer: SERVING, csr: servingNode, usages: ['digital signature', 'server auth'], want: { recognized: true } },
  { name: 'kubelet serving without SANs', signer: SERVING, csr: node, usages: ['digital signature', 'server auth'], want: { recognized: true, error: 'DNS or IP subjectAltName is required' } },
  { name: 'kubelet serving with email', signer: SERVING, csr: { ...servingNode, emails: ['a@b.c'] }, usages: ['digital signature', 'server auth'], want: { recognized: true, error: 'Email subjectAltNames are not allowed' } },
  { name: 'kubelet serving client usage', signer: SERVING, csr: servingNode, usages: ['digital signature', 'client auth'], want: { recognized: true, error: 'usages did not match [digital signature key encipherment server auth]' } },
  { name: 'kubelet serving wrong CN', signer: SERVING, csr: { commonName: 'n1', organizations: ['system:nodes'], dnsNames: ['n1'] }, usages: ['digital signature', 'server auth'], want: { recognized: true, error: 'subject common name does not begin with system:node:' } },
  { name: 'someone else\'s signer', signer: 'example.com/mine', csr: { commonName: 'x' }, usages: ['client auth'], want: { recognized: false } },
];

test('in-tree signers accept and refuse as upstream', async () => {
  for (const c of cases) {
    const info = parseCertificateRequest((await testCsr(c.csr)).csrPem);
    assert.deepEqual(checkSigner(c.signer, info, c.usages), c.want, c.name);
  }
});
