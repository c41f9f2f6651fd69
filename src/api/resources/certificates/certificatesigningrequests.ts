/** CertificateSigningRequest (certificates.k8s.io/v1): strategy and printing as kube-apiserver v1.32 does them. */
import { isObject, type KubeObject } from '../../types.js';
import { num, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age, humanDuration } from '../../table/format.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { conditionsOf, printedCondition } from './csr_conditions.js';
import { validateCsr, validateCsrUpdate } from './csr_validation.js';

/** defaultConditions is SetDefaults_CertificateSigningRequestCondition: a condition without status is True. */
function defaultConditions(obj: KubeObject): void {
  for (const c of conditionsOf(obj)) if (!c.status) c.status = 'True';
}

/** clearRequestor removes what only the API server may set (the requesting user, from admission) and any status. */
function prepareForCreate(obj: KubeObject): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  obj.spec = spec;
  obj.status = {};
}

/** requestedDuration renders spec.expirationSeconds as the REQUESTEDDURATION cell. */
function requestedDuration(obj: KubeObject): string {
  const s = num(obj, 'spec', 'expirationSeconds');
  return s === undefined ? '<none>' : humanDuration(s * 1000);
}

/** certificatesigningrequests is the cluster-scoped certificates.k8s.io/v1 CertificateSigningRequest resource. */
export const certificatesigningrequests: ResourceType = {
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  namespaced: false,
  shortNames: ['csr'],
  categories: [],
  // ValidateCertificateRequestName accepts any name that is a valid path segment.
  nameRule: 'path',
  hasStatus: true,
  tracksGeneration: false,
  subresources: ['approval'],
  defaults: defaultConditions,
  // Updates through the main endpoint keep spec and status (prepareForUpdate); /status may set the
  // certificate once; Approved/Denied change only through /approval (see the apiserver's certificates/).
  validate: (obj, old) => (old ? validateCsrUpdate(obj, old, { allowSettingApprovalConditions: false, allowSettingCertificate: true }) : validateCsr(obj)),
  prepareForCreate,
  prepareForUpdate: (obj, old) => {
    obj.spec = structuredClone(old.spec);
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
  },
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
    column('Requestor', 'string', 'username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.'),
    column('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    column('Condition', 'string', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
  ],
  row: (obj, now) => [
    obj.metadata.name ?? '',
    age(obj.metadata.creationTimestamp, now),
    str(obj, 'spec', 'signerName') || '<none>',
    str(obj, 'spec', 'username') ?? '',
    requestedDuration(obj),
    printedCondition(obj),
  ],
  fieldLabels: (obj) => ({ 'spec.signerName': str(obj, 'spec', 'signerName') ?? '' }),
};
