import {
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  approvalState,
  certificateOf,
  conditionsOf,
  kubeletClientProblem,
  decodeRequestField,
  parseCertificateRequest,
  setConditions,
  type CertificateRequestInfo,
} from '../../api/resources/certificates/index.js';
import { field, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { AuthorizeRequest, ControllerAuthorize, ControllerStarter } from '../context.js';

const CSR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };

/** Recognizer is one kind of request the approver auto-approves after asking the authorizer. */
interface Recognizer {
  subresource: 'selfnodeclient' | 'nodeclient';
  recognize(csr: KubeObject, req: CertificateRequestInfo): boolean;
  message: string;
}

const isNodeClient = (csr: KubeObject, req: CertificateRequestInfo): boolean => {
  if (str(csr, 'spec', 'signerName') !== KUBE_APISERVER_CLIENT_KUBELET_SIGNER) return false;
  const usages = (field(csr, 'spec', 'usages') as unknown[] | undefined)?.map(String) ?? [];
  return kubeletClientProblem(req, usages) === undefined;
};

/** RECOGNIZERS are upstream's, in its order: a node renewing itself first, then any node client request (bootstrap). */
const RECOGNIZERS: Recognizer[] = [
  {
    subresource: 'selfnodeclient',
    recognize: (csr, req) => str(csr, 'spec', 'username') === req.commonName && isNodeClient(csr, req),
    message: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  { subresource: 'nodeclient', recognize: isNodeClient, message: 'Auto approving kubelet client certificate after SubjectAccessReview.' },
];

/** requestor returns the CSR's spec.username and spec.groups, as the SubjectAccessReview sends them. */
function requestor(csr: KubeObject): { name: string; groups: string[] } {
  const groups = (field(csr, 'spec', 'groups') as unknown[] | undefined)?.map(String) ?? [];
  return { name: str(csr, 'spec', 'username') ?? '', groups };
}

/**
 * withoutAuthorizer decides in place of a SubjectAccessReview: only a node renewing its own client
 * certificate (requestor system:node:<n> in system:nodes asking for exactly that CN) is approved.
 */
const withoutAuthorizer: ControllerAuthorize = (user, attrs) => attrs.subresource === 'selfnodeclient' && user.name.startsWith('system:node:') && user.groups.includes('system:nodes');

/**
 * startCSRApprovingController is kube-controller-manager's csrapproving: a pending
 * kube-apiserver-client-kubelet request that is a valid node client request is approved (reason
 * AutoApproved) when its requestor may create `certificatesigningrequests/selfnodeclient` (the
 * node renews its own certificate) or `certificatesigningrequests/nodeclient` (bootstrap), as the
 * authorizer in ControllerConfig says. Everything else waits for a person.
 */
export const startCSRApprovingController: ControllerStarter = async (ctx) => {
  const authorize = ctx.config.authorize ?? withoutAuthorizer;
  const csrs = ctx.informers.forResource(CSR);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => queue.add(o.metadata.name ?? '');
  csrs.addHandlers({ onAdd: enqueue, onUpdate: (_, o) => enqueue(o) });
  await ctx.informers.waitForSync();

  const sync = async (name: string): Promise<void> => {
    const cached = csrs.get(name);
    if (!cached || certificateOf(cached)) return;
    const { approved, denied } = approvalState(cached);
    if (approved || denied) return;
    const req = parseCertificateRequest(decodeRequestField(field(cached, 'spec', 'request')));
    const tried: string[] = [];
    for (const r of RECOGNIZERS) {
      if (!r.recognize(cached, req)) continue;
      tried.push(r.subresource);
      const attrs: AuthorizeRequest = { verb: 'create', group: CSR.group, resource: CSR.resource, subresource: r.subresource };
      if (!(await authorize(requestor(cached), attrs))) continue;
      const csr = structuredClone(cached);
      setConditions(csr, [...conditionsOf(csr), { type: 'Approved', status: 'True', reason: 'AutoApproved', message: r.message }]);
      try {
        await ctx.client.transport.request({ verb: 'update', ...CSR, name, subresource: 'approval', body: csr });
        ctx.logger.info('approved certificate signing request', { csr: name, requestor: requestor(cached).name, as: r.subresource });
      } catch (e) {
        if ((e as { code?: number }).code === 409) return queue.addRateLimited(name);
        if ((e as { code?: number }).code !== 404) throw e;
      }
      return;
    }
    // Recognized but not allowed: left for a person, not retried (upstream's IgnorableError).
    if (tried.length) ctx.logger.debug('not auto-approving certificate signing request', { csr: name, recognizedAs: tried });
  };
  await runController({ name: 'csrapproving', queue, sync, workers: 1, logger: ctx.logger, signal: ctx.signal });
};
