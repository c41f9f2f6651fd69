// Public surface of the node join endpoints (k3s's /v1-k3s/*-kubelet.crt): the composition root mounts nodeJoinRoutes.
export { NODE_IP_HEADER, NODE_NAME_HEADER, NODE_PASSWORD_HEADER, parseBasicAuth, type BasicCredentials, type NodeClaims } from './credentials.js';
export { NODE_PASSWORD_NAMESPACE, checkNodePassword, nodePasswordRejected, nodePasswordSecretName, type NodePasswordCheck } from './password_secret.js';
export {
  CLIENT_CA_PATH,
  CLIENT_KUBELET_PATH,
  NODE_JOIN_PREFIX,
  SERVING_KUBELET_PATH,
  nodeJoinRoutes,
  type NodeJoinOptions,
  type NodeJoinRoutes,
} from './routes.js';
