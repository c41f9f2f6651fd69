// The wire contract of a node join: paths and headers only, no imports, so a joining agent reads
// them without loading the routes (which pull in the PKI issuing stack and the API server's codecs).

/** NODE_JOIN_PREFIX starts every join path (k3s: /v1-k3s). */
export const NODE_JOIN_PREFIX = '/v1-skiff';

/** CLIENT_KUBELET_PATH issues the node's client certificate (k3s: /v1-k3s/client-kubelet.crt). */
export const CLIENT_KUBELET_PATH = `${NODE_JOIN_PREFIX}/client-kubelet.crt`;
/** SERVING_KUBELET_PATH issues the kubelet's serving certificate (k3s: /v1-k3s/serving-kubelet.crt). */
export const SERVING_KUBELET_PATH = `${NODE_JOIN_PREFIX}/serving-kubelet.crt`;
/** CLIENT_CA_PATH serves the client CA bundle, which the kubelet API verifies callers with. */
export const CLIENT_CA_PATH = `${NODE_JOIN_PREFIX}/client-ca.crt`;

/** NODE_NAME_HEADER carries the joining node's name (k3s: K3s-Node-Name); header names are lowercase, as Node reads them. */
export const NODE_NAME_HEADER = 'skiff-node-name';
/** NODE_PASSWORD_HEADER carries the joining node's password (k3s: K3s-Node-Password). */
export const NODE_PASSWORD_HEADER = 'skiff-node-password';
/** NODE_IP_HEADER carries the joining node's IP, for its serving cert (k3s: K3s-Node-IP). */
export const NODE_IP_HEADER = 'skiff-node-ip';
