import {
  KUBELET_SERVING_SIGNER,
  certificateOf,
  checkSigner,
  conditionsOf,
  decodeRequestField,
  hasTrueCondition,
  isApproved,
  parseCertificateRequest,
  setConditions,
} from '../../api/resources/certificates/index.js';
import { field, num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import { runController } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import { LEAF_VALIDITY_DAYS, signCertificateRequest, type CertificateAuthority } from '../../pki/index.js';
import type { ControllerStarter, CsrSigningConfig } from '../context.js';

/** CSR is the certificatesigningrequests resource. */
export const CSR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };

const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_DURATION_MS = 10 * 60 * 1000;

/** signingDuration is the signer's duration(): spec.expirationSeconds capped at the maximum, at least 10 minutes. */
export function signingDuration(expirationSeconds: number | undefined, maxMs: number): number {
  if (expirationSeconds === undefined) return maxMs;
  return Math.max(MIN_DURATION_MS, Math.min(maxMs, expirationSeconds * 1000));
}

function caFor(signerName: string, cfg: CsrSigningConfig): CertificateAuthority {
  return signerName === KUBELET_SERVING_SIGNER ? cfg.serverCA : cfg.clientCA;
}

/**
 * startCSRSigningController is kube-controller-manager's csrsigning: approved, not failed, not
 * yet issued CertificateSigningRequests of the kubernetes.io/kube-apiserver-client,
 * kube-apiserver-client-kubelet and kubelet-serving signers get a certificate in status (from the
 * client CA, the client CA and the server CA); a request its signer must not sign gets a Failed
 * condition (reason SignerValidationFailure) instead. Other signers are left to their owners.
 */
export const startCSRSigningController: ControllerStarter = async (ctx) => {
  const cfg = ctx.config.csrSigning;
  if (!cfg) return;
  const maxMs = cfg.maxDurationMs ?? LEAF_VALIDITY_DAYS * DAY_MS;
  const csrs = ctx.informers.forResource(CSR);
  const queue = new WorkQueue(ctx.clock);
  const enqueue = (o: KubeObject): void => queue.add(o.metadata.name ?? '');
  csrs.addHandlers({ onAdd: enqueue, onUpdate: (_, o) => enqueue(o) });
  await ctx.informers.waitForSync();
  const client = ctx.client.resource(CSR);

  const sync = async (name: string): Promise<void> => {
    const cached = csrs.get(name);
    if (!cached || !isApproved(cached) || hasTrueCondition(cached, 'Failed') || certificateOf(cached)) return;
    const signerName = str(cached, 'spec', 'signerName') ?? '';
    const usages = (field(cached, 'spec', 'usages') as unknown[] | undefined)?.map(String) ?? [];
    const info = parseCertificateRequest(decodeRequestField(field(cached, 'spec', 'request')));
    const verdict = checkSigner(signerName, info, usages);
    if (!verdict.recognized) return;
    const csr = structuredClone(cached);
    if (verdict.error !== undefined) {
      const failed = { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: verdict.error, lastUpdateTime: new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
      setConditions(csr, [...conditionsOf(csr), failed]);
      ctx.logger.info('refused certificate signing request', { csr: name, signer: signerName, reason: verdict.error });
    } else {
      const durationMs = signingDuration(num(cached, 'spec', 'expirationSeconds'), maxMs);
      const pem = await signCertificateRequest(caFor(signerName, cfg), { requestDer: info.der, usages, durationMs, clock: ctx.clock });
      csr.status = { ...(csr.status as object | undefined), certificate: Buffer.from(pem).toString('base64') };
      ctx.logger.info('signed certificate signing request', { csr: name, signer: signerName, subject: info.commonName, days: Math.round(durationMs / DAY_MS) });
    }
    try {
      await client.updateStatus(csr);
    } catch (e) {
      // 409: the cache was behind; the update event that follows syncs again.
      if ((e as { code?: number }).code === 409) return queue.addRateLimited(name);
      if ((e as { code?: number }).code !== 404) throw e;
    }
  };
  await runController({ name: 'csrsigning', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
