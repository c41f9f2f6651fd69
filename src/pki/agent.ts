// The node agent's part of the PKI surface: tokens, the node password file, and reading and
// checking the certificates it was issued. Everything here runs on node:crypto alone; importing
// ./index.ts instead would load @peculiar/x509 (~20 MB RSS) for issuing that agents never do.
export { RENEW_BEFORE_DAYS, certificateNotAfter, pemCertificates, subjectMatches } from './certificate.js';
export { writeFileAtomic } from './files.js';
export type { IssuedCert } from './issue.js';
export { agentPkiFiles, loadNodeCredentials, saveNodeCredentials, type AgentPkiFiles, type NodeCredentials, type NodeCredentialsWant } from './agent_certs.js';
export { NODES_GROUP, NODE_USER_PREFIX, kubeletServingSans, nodeUserName, splitCertAndKey } from './node_identity.js';
export { ensureNodePasswordFile, generateNodePassword } from './node_password.js';
export { certificateSans, sansCovered, type SubjectAltNames } from './san.js';
export { TOKEN_PREFIX, caBundleHash, parseToken, verifyCAHash, type ParsedToken } from './token.js';
export {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  DEFAULT_BOOTSTRAP_TOKEN_GROUPS,
  bootstrapTokenFromSecret,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  generateBootstrapToken,
  isBootstrapTokenId,
  parseBootstrapToken,
  validateBootstrapTokenOptions,
  type BootstrapToken,
} from './bootstrap_token.js';
