// Public surface of the PKI component; other components import from here. It loads @peculiar/x509
// (~20 MB): a node agent, which never issues certificates, imports the light ./agent.ts instead.
export { CA_VALIDITY_DAYS, createCA, ensureCA, loadCA, parseCertificates, type CertificateAuthority } from './ca.js';
export { writeFileAtomic } from './files.js';
export { signCertificateRequest, type SignRequestOptions } from './csr_sign.js';
export {
  LEAF_VALIDITY_DAYS,
  issueClientCert,
  issueServingCert,
  type ClientCertOptions,
  type IssueOptions,
  type IssuedCert,
  type ServingCertOptions,
} from './issue.js';
export { generateKeyPem, importSigningKey, type SigningKey } from './keys.js';
export { buildKubeconfig, parseFileMode, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export { RENEW_BEFORE_DAYS, certificateNotAfter, leafStillValid, pemCertificates, subjectMatches } from './certificate.js';
export { parseDistinguishedName, type DistinguishedNameAttribute } from './distinguished_name.js';
export { ensureLeaf, type LeafSpec } from './leaf.js';
export { KUBERNETES_SERVICE_NAMES, certificateSans, normalizeIP, parseSubjectAltName, sansCovered, servingSans, type SubjectAltNames } from './san.js';
export {
  ensureServerPki,
  serverPkiFiles,
  type ServerPki,
  type ServerPkiFiles,
  type ServerPkiOptions,
} from './server.js';
export {
  SERVER_TOKEN_USER,
  TOKEN_PREFIX,
  caBundleHash,
  ensureServerToken,
  formatToken,
  parseToken,
  verifyCAHash,
  type ParsedToken,
} from './token.js';
export {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_TOKEN_USAGES,
  DEFAULT_BOOTSTRAP_TOKEN_GROUPS,
  bootstrapTokenFromSecret,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  generateBootstrapToken,
  isBootstrapTokenExpired,
  isBootstrapTokenId,
  parseBootstrapToken,
  validateBootstrapTokenOptions,
  type BootstrapToken,
} from './bootstrap_token.js';
export {
  agentPkiFiles,
  loadNodeCredentials,
  saveNodeCredentials,
  type AgentPkiFiles,
  type NodeCredentials,
  type NodeCredentialsWant,
} from './agent_certs.js';
export { issueKubeletServingCert, issueNodeClientCert } from './node_certs.js';
export { NODES_GROUP, NODE_USER_PREFIX, kubeletServingSans, nodeUserName, splitCertAndKey } from './node_identity.js';
export { ensureNodePasswordFile, generateNodePassword, hashNodePassword, verifyNodePassword } from './node_password.js';
export { x509 } from './x509.js';
