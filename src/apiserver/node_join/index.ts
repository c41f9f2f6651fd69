// Public surface of the node join endpoints (k3s's /v1-k3s/*-kubelet.crt): the composition root mounts nodeJoinRoutes.
// A joining agent imports ./protocol.ts directly: this index loads the routes and their dependencies.
export {
  CLIENT_CA_PATH,
  CLIENT_KUBELET_PATH,
  NODE_IP_HEADER,
  NODE_JOIN_PREFIX,
  NODE_NAME_HEADER,
  NODE_PASSWORD_HEADER,
  SERVING_KUBELET_PATH,
} from './protocol.js';
export { parseBasicAuth, type BasicCredentials, type NodeClaims } from './credentials.js';
export { NODE_PASSWORD_NAMESPACE, checkNodePassword, nodePasswordRejected, nodePasswordSecretName, type NodePasswordCheck } from './password_secret.js';
export { nodeJoinRoutes, type NodeJoinOptions, type NodeJoinRoutes } from './routes.js';
