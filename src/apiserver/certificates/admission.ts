import { errors } from '../../api/errors.js';
import { str } from '../../api/object.js';
import {
  KUBE_APISERVER_CLIENT_SIGNER,
  certificateOf,
  decodeRequestField,
  keepApprovalConditions,
  parseCertificateRequest,
  populateConditionTimestamps,
} from '../../api/resources/certificates/index.js';
import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import type { UserInfo } from '../auth.js';
import type { Authorizer } from '../authz/index.js';
import { rfc3339 } from '../object_meta.js';

const GROUP = 'certificates.k8s.io';
const RESOURCE = 'certificatesigningrequests';

/** CertificatesAdmissionOptions configure certificatesAdmission. */
export interface CertificatesAdmissionOptions {
  clock: Clock;
  /**
   * authorizer, when it returns one, enforces the CertificateApproval and CertificateSigning
   * plugins: approving or denying needs `approve` and issuing needs `sign` on
   * `signers.certificates.k8s.io/<signerName>` (or `<domain>/*`). Without one any caller that
   * reached the subresource may. A function: the authorizer is made after the API core.
   */
  authorizer?: () => Authorizer | undefined;
}

const isCsr = (req: AdmissionRequest): boolean => req.type.group === GROUP && req.type.plural === RESOURCE;

function forbidden(name: string, why: string): Error {
  return errors.forbidden(`${RESOURCE}.${GROUP} "${name}" is forbidden: ${why}`);
}

/** signerAllowed is IsAuthorizedForSignerName: the verb on the signer itself, or on `<domain>/*`. */
function signerAllowed(authorizer: Authorizer, user: UserInfo, verb: string, signerName: string): boolean {
  const ask = (name: string): boolean =>
    authorizer.authorize({ user, verb, isResourceRequest: true, path: '', apiGroup: GROUP, resource: 'signers', subresource: '', namespace: '', name }).decision === 'allow';
  if (ask(signerName)) return true;
  const slash = signerName.indexOf('/');
  return slash > 0 && ask(`${signerName.slice(0, slash)}/*`);
}

/** setRequestor is the strategy's PrepareForCreate half that needs the user: spec.username and spec.groups. */
function setRequestor(obj: KubeObject, user: UserInfo): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  spec.username = user.name;
  if (user.groups.length) spec.groups = [...user.groups];
  obj.spec = spec;
}

/** restrictSubject is CertificateSubjectRestriction: no system:masters client certificates through the API. */
function restrictSubject(req: AdmissionRequest): void {
  if (str(req.obj, 'spec', 'signerName') !== KUBE_APISERVER_CLIENT_SIGNER) return;
  let orgs: string[];
  try {
    orgs = parseCertificateRequest(decodeRequestField(str(req.obj, 'spec', 'request'))).organizations;
  } catch {
    return; // validation reports the bad request
  }
  if (orgs.includes('system:masters')) throw forbidden(req.name, `use of ${KUBE_APISERVER_CLIENT_SIGNER} signer with system:masters group is not allowed`);
}

/**
 * certificatesAdmission does for CertificateSigningRequests what kube-apiserver's strategy and the
 * CertificateApproval, CertificateSigning and CertificateSubjectRestriction admission plugins do:
 * on create it records the requesting user in spec.username/groups and refuses system:masters
 * kube-apiserver-client requests; on /status it keeps the stored Approved/Denied conditions and
 * stamps condition times; with an authorizer it checks `approve` (on /approval) and `sign` (on a
 * /status write that sets the certificate) for the request's signer.
 */
export function certificatesAdmission(o: CertificatesAdmissionOptions): AdmissionPlugin {
  const now = (): string => rfc3339(o.clock.now());
  return {
    name: 'CertificateSigningRequests',
    admit(req) {
      if (!isCsr(req)) return;
      if (req.operation === 'CREATE') setRequestor(req.obj, req.user);
      if (req.operation === 'UPDATE' && req.subresource === 'status' && req.old) {
        keepApprovalConditions(req.obj, req.old);
        populateConditionTimestamps(req.obj, req.old, now());
      }
    },
    validate(req) {
      if (!isCsr(req)) return;
      if (req.operation === 'CREATE') restrictSubject(req);
      const authorizer = o.authorizer?.();
      if (!authorizer || req.operation !== 'UPDATE' || !req.old) return;
      const signer = str(req.old, 'spec', 'signerName') ?? '';
      if (req.subresource === 'approval' && !signerAllowed(authorizer, req.user, 'approve', signer)) {
        throw forbidden(req.name, `user not permitted to approve requests with signerName ${JSON.stringify(signer)}`);
      }
      const issuing = req.subresource === 'status' && certificateOf(req.obj) !== certificateOf(req.old);
      if (issuing && !signerAllowed(authorizer, req.user, 'sign', signer)) {
        throw forbidden(req.name, `user not permitted to sign requests with signerName ${JSON.stringify(signer)}`);
      }
    },
  };
}
