import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { ApiCore } from '../../apiserver/core.js';
import { InProcessTransport } from '../../apiserver/in_process.js';
import { certificatesAdmission } from '../../apiserver/certificates/index.js';
import { allResources } from '../../api/resources/index.js';
import type { KubeObject } from '../../api/types.js';
import { Client } from '../../client/client.js';
import { SharedInformers } from '../../client/shared_informers.js';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { createCA } from '../../pki/index.js';
import { b64, testCsr, type TestCsrOptions } from '../../pki/csr_test_helper.js';
import { TEST_CONFIG } from '../namespace/harness_test_helper.js';
import type { ControllerAuthorize, ControllerContext } from '../context.js';
import { startCSRApprovingController } from '../csrapproving/index.js';
import { startCSRSigningController, signingDuration } from './index.js';

const CSR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
const DAY_MS = 86_400_000;

async function start(authorize?: ControllerAuthorize) {
  const core = new ApiCore({ backend: new MemoryBackend(), resources: allResources(), clock: realClock, logger: silentLogger, admission: [certificatesAdmission({ clock: realClock })] });
  await core.start();
  const as = (name: string, groups: string[]): Client => new Client(new InProcessTransport(core, { name, groups: [...groups, 'system:authenticated'] }));
  const admin = as('admin', ['system:masters']);
  const [clientCA, serverCA] = [await createCA('client', realClock), await createCA('server', realClock)];
  const ac = new AbortController();
  const informers = new SharedInformers(admin, silentLogger);
  const config = { ...TEST_CONFIG, csrSigning: { clientCA, serverCA }, ...(authorize ? { authorize } : {}) };
  const ctx: ControllerContext = { client: admin, informers, recorder: () => ({ event: () => undefined }), clock: realClock, logger: silentLogger, signal: ac.signal, config };
  const runs = [startCSRSigningController(ctx), startCSRApprovingController(ctx)];
  informers.start(ac.signal);
  await informers.waitForSync();
  const create = async (by: Client, name: string, signerName: string, usages: string[], csr: TestCsrOptions, expirationSeconds?: number): Promise<KubeObject> => {
    const { csrPem } = await testCsr(csr);
    const spec = { request: b64(csrPem), signerName, usages, ...(expirationSeconds ? { expirationSeconds } : {}) };
    return by.resource(CSR).create('', { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec } as KubeObject);
  };
  const get = (name: string): Promise<KubeObject> => admin.resource(CSR).get('', name);
  const approve = async (name: string): Promise<void> => {
    const o = await get(name);
    o.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }] };
    await admin.transport.request({ verb: 'update', ...CSR, name, subresource: 'approval', body: o });
  };
  const waitFor = async (name: string, what: string, cond: (o: KubeObject) => boolean): Promise<KubeObject> => {
    for (let i = 0; i < 300; i++) {
      const o = await get(name);
      if (cond(o)) return o;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  return {
    as, admin, clientCA, serverCA, create, get, approve, waitFor,
    async stop() {
      ac.abort();
      await Promise.all(runs);
      core.stop();
    },
  };
}

const status = (o: KubeObject): { certificate?: string; conditions?: { type: string; reason?: string; message?: string }[] } => (o.status ?? {}) as never;
const issued = (o: KubeObject): X509Certificate => new X509Certificate(Buffer.from(status(o).certificate!, 'base64'));

test('signingDuration: expirationSeconds capped at the maximum, 10 minutes at least', () => {
  assert.equal(signingDuration(undefined, 365 * DAY_MS), 365 * DAY_MS);
  assert.equal(signingDuration(3600, 365 * DAY_MS), 3_600_000);
  assert.equal(signingDuration(800 * 86400, 365 * DAY_MS), 365 * DAY_MS);
});

test('a user CSR is recorded with its requestor, waits for approval, then is signed by the client CA', async () => {
  const h = await start();
  try {
    const alice = h.as('alice', ['dev']);
    const created = await h.create(alice, 'alice', 'kubernetes.io/kube-apiserver-client', ['client auth'], { commonName: 'alice', organizations: ['dev'] }, 86400);
    assert.equal((created.spec as { username?: string }).username, 'alice');
    assert.deepEqual((created.spec as { groups?: string[] }).groups, ['dev', 'system:authenticated']);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(status(await h.get('alice')).certificate, undefined, 'not signed before approval');
    await h.approve('alice');
    const done = await h.waitFor('alice', 'certificate', (o) => !!status(o).certificate);
    const cert = issued(done);
    assert.match(cert.subject, /CN=alice/);
    assert.match(cert.subject, /O=dev/);
    assert.ok(cert.checkIssued(new X509Certificate(h.clientCA.certPem)));
    const lifetime = Date.parse(cert.validTo) - Date.now();
    assert.ok(lifetime > 86_300_000 && lifetime <= 86_400_000, `one day, got ${lifetime}`);
    assert.equal(status(done).conditions?.[0]?.type, 'Approved');
  } finally {
    await h.stop();
  }
});

test('a request its signer must not sign gets Failed (SignerValidationFailure)', async () => {
  const h = await start();
  try {
    await h.create(h.admin, 'bad-usage', 'kubernetes.io/kube-apiserver-client', ['client auth', 'server auth'], { commonName: 'bob' });
    await h.approve('bad-usage');
    const failed = await h.waitFor('bad-usage', 'Failed', (o) => (status(o).conditions ?? []).some((c) => c.type === 'Failed'));
    const c = status(failed).conditions!.find((x) => x.type === 'Failed')!;
    assert.equal(c.reason, 'SignerValidationFailure');
    assert.equal(c.message, 'invalid usage for client certificate: server auth');
    assert.equal(status(failed).certificate, undefined);
  } finally {
    await h.stop();
  }
});

test('kubelet serving requests are signed by the server CA with their SANs', async () => {
  const h = await start();
  try {
    const n1 = h.as('system:node:n1', ['system:nodes']);
    await h.create(n1, 'serving', 'kubernetes.io/kubelet-serving', ['digital signature', 'server auth'], { commonName: 'system:node:n1', organizations: ['system:nodes'], dnsNames: ['n1'], ips: ['10.0.0.5'] });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(status(await h.get('serving')).conditions?.length ?? 0, 0, 'serving requests are not auto-approved');
    await h.approve('serving');
    const cert = issued(await h.waitFor('serving', 'certificate', (o) => !!status(o).certificate));
    assert.ok(cert.checkIssued(new X509Certificate(h.serverCA.certPem)));
    assert.equal(cert.subjectAltName, 'DNS:n1, IP Address:10.0.0.5');
    const lifetime = Date.parse(cert.validTo) - Date.now();
    assert.ok(lifetime > 364 * DAY_MS, 'a year by default');
  } finally {
    await h.stop();
  }
});

test('without an authorizer, a node renewing its own client certificate is approved and signed; others wait', async () => {
  const h = await start();
  try {
    const usages = ['digital signature', 'client auth'];
    const n1 = h.as('system:node:n1', ['system:nodes']);
    await h.create(n1, 'self', 'kubernetes.io/kube-apiserver-client-kubelet', usages, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
    const done = await h.waitFor('self', 'auto-approval and certificate', (o) => !!status(o).certificate);
    const approved = status(done).conditions!.find((c) => c.type === 'Approved')!;
    assert.equal(approved.reason, 'AutoApproved');
    assert.equal(approved.message, 'Auto approving self kubelet client certificate after SubjectAccessReview.');
    assert.match(issued(done).subject, /CN=system:node:n1/);
    await h.create(n1, 'other-node', 'kubernetes.io/kube-apiserver-client-kubelet', usages, { commonName: 'system:node:n2', organizations: ['system:nodes'] });
    await h.create(h.as('mallory', []), 'not-a-node', 'kubernetes.io/kube-apiserver-client-kubelet', usages, { commonName: 'mallory', organizations: ['system:nodes'] });
    await new Promise((r) => setTimeout(r, 150));
    for (const name of ['other-node', 'not-a-node']) assert.equal(status(await h.get(name)).conditions?.length ?? 0, 0, name);
  } finally {
    await h.stop();
  }
});

test('with an authorizer, bootstrap (nodeclient) requests are approved when it allows them', async () => {
  const asked: string[] = [];
  const h = await start((user, attrs) => {
    asked.push(`${user.name} ${attrs.verb} ${attrs.resource}/${attrs.subresource ?? ''}`);
    return user.name === 'system:bootstrap:abc' && attrs.subresource === 'nodeclient';
  });
  try {
    const boot = h.as('system:bootstrap:abc', ['system:bootstrappers']);
    await h.create(boot, 'bootstrap', 'kubernetes.io/kube-apiserver-client-kubelet', ['digital signature', 'key encipherment', 'client auth'], { commonName: 'system:node:n3', organizations: ['system:nodes'] });
    const done = await h.waitFor('bootstrap', 'approval', (o) => !!status(o).certificate);
    assert.equal(status(done).conditions![0]!.message, 'Auto approving kubelet client certificate after SubjectAccessReview.');
    assert.deepEqual(asked, ['system:bootstrap:abc create certificatesigningrequests/nodeclient']);
  } finally {
    await h.stop();
  }
});

test('system:masters client certificates cannot be requested (CertificateSubjectRestriction)', async () => {
  const h = await start();
  try {
    await assert.rejects(
      h.create(h.admin, 'root', 'kubernetes.io/kube-apiserver-client', ['client auth'], { commonName: 'root', organizations: ['system:masters'] }),
      (e: Error) => e.message === 'certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
    );
  } finally {
    await h.stop();
  }
});
