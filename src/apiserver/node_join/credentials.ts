import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { errors } from '../../api/errors.js';
import { NODE_IP_HEADER, NODE_NAME_HEADER, NODE_PASSWORD_HEADER } from './protocol.js';

/** TOKEN_USERS are the basic-auth user names a join may use: agents send `node`, servers `server`. */
const TOKEN_USERS = new Set(['node', 'server']);

/** BasicCredentials are the parts of an HTTP basic Authorization header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** parseBasicAuth decodes `Basic base64(user:pass)`; undefined when the header is absent or not basic auth. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** sameSecret compares two secrets in constant time (hashing first so lengths cannot leak). */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * checkToken throws 401 unless the request carries HTTP basic auth `node:<secret>` (or
 * `server:<secret>`) whose secret is the cluster token's.
 */
export function checkToken(req: IncomingMessage, tokenSecret: string): void {
  const creds = parseBasicAuth(req.headers.authorization);
  if (!creds || !TOKEN_USERS.has(creds.username) || !sameSecret(creds.password, tokenSecret)) {
    throw errors.unauthorized('Unauthorized: the node token is missing or is not this cluster\'s (send basic auth node:<token secret>)');
  }
}

/** NodeClaims are what a joining node says about itself. */
export interface NodeClaims {
  nodeName: string;
  password: string;
  /** nodeIP is empty when the node sent none. */
  nodeIP: string;
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

/**
 * readNodeClaims reads and validates the Skiff-Node-Name, Skiff-Node-Password and Skiff-Node-IP
 * headers; a missing name or password, a name that is not a DNS subdomain or an invalid IP is a 400.
 */
export function readNodeClaims(req: IncomingMessage): NodeClaims {
  const nodeName = header(req, NODE_NAME_HEADER);
  const password = header(req, NODE_PASSWORD_HEADER);
  const nodeIP = header(req, NODE_IP_HEADER);
  if (!nodeName) throw errors.badRequest('the Skiff-Node-Name header is required');
  // 233: the node-password Secret name adds ".node-password.skiff" and must stay within 253.
  if (nodeName.length > 233 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(nodeName)) {
    throw errors.badRequest(`invalid node name ${JSON.stringify(nodeName)}: want a lowercase DNS subdomain of at most 233 characters`);
  }
  if (!password) throw errors.badRequest('the Skiff-Node-Password header is required');
  if (nodeIP && isIP(nodeIP) === 0) throw errors.badRequest(`invalid Skiff-Node-IP ${JSON.stringify(nodeIP)}: want an IP address`);
  return { nodeName, password, nodeIP };
}
