import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { errors } from '../../api/errors.js';
import type { Transport } from '../../api/transport.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { issueKubeletServingCert, issueNodeClientCert, type CertificateAuthority, type IssuedCert } from '../../pki/index.js';
import { writeError } from '../http_io.js';
import { readNodeClaims, type NodeClaims } from './credentials.js';
import { checkJoinToken } from './join_token.js';
import { checkNodePassword, nodePasswordRejected } from './password_secret.js';
import { CLIENT_CA_PATH, CLIENT_KUBELET_PATH, NODE_NAME_HEADER, SERVING_KUBELET_PATH } from './protocol.js';

/** NodeJoinOptions configure nodeJoinRoutes. */
export interface NodeJoinOptions {
  /** transport reads and creates node-password Secrets; it must be allowed to (an in-process admin). */
  transport: Transport;
  /** tokenSecret is the password part of the cluster token; unexpired bootstrap tokens (kube-system Secrets) are accepted too. */
  tokenSecret: string;
  /** serverCA signs kubelet serving certs. */
  serverCA: CertificateAuthority;
  /** clientCA signs kubelet client certs; its bundle is served at CLIENT_CA_PATH. */
  clientCA: CertificateAuthority;
  logger: Logger;
  clock?: Clock;
  /** certValidityDays is how long issued node certificates last (default 365 days; tests shorten it). */
  certValidityDays?: number;
}

/** NodeJoinRoutes serves a request when its path is a join endpoint (resolving true), else resolves false untouched. */
export type NodeJoinRoutes = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

function writePem(res: ServerResponse, pem: string): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(pem) });
  res.end(pem);
}

/** admitNode checks the token, the node's claims and its password; it throws the 401/400/403 to answer. */
async function admitNode(o: NodeJoinOptions, req: IncomingMessage): Promise<NodeClaims> {
  if (!isNodeCertificateOf(req, claimedNodeName(req))) await checkJoinToken(req, o);
  const claims = readNodeClaims(req);
  const outcome = await checkNodePassword(o.transport, claims.nodeName, claims.password);
  if (outcome === 'rejected') {
    o.logger.warn('node password rejected', { node: claims.nodeName, remote: req.socket.remoteAddress });
    throw errors.forbidden(nodePasswordRejected(claims.nodeName));
  }
  if (outcome === 'created') o.logger.info('new node joined: stored its node password hash', { node: claims.nodeName });
  return claims;
}

/**
 * isNodeCertificateOf tells whether the request came with a valid client certificate (verified
 * against the client CA by the TLS layer) of node `nodeName`: a joined node renews with it, as k3s
 * agents may, so renewal does not depend on a join token that may have expired.
 */
function isNodeCertificateOf(req: IncomingMessage, nodeName: string): boolean {
  const socket = req.socket as TLSSocket;
  if (!nodeName || typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return false;
  const subject = socket.getPeerCertificate().subject as { CN?: string; O?: string | string[] } | undefined;
  const orgs = subject?.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return subject?.CN === `system:node:${nodeName}` && orgs.includes('system:nodes');
}

/** claimedNodeName is the Skiff-Node-Name header ('' when absent; readNodeClaims reports that). */
function claimedNodeName(req: IncomingMessage): string {
  const v = req.headers[NODE_NAME_HEADER.toLowerCase()];
  return typeof v === 'string' ? v : '';
}

async function issue(o: NodeJoinOptions, path: string, claims: NodeClaims): Promise<IssuedCert> {
  if (path === CLIENT_KUBELET_PATH) return issueNodeClientCert(o.clientCA, claims.nodeName, o.clock, o.certValidityDays);
  return issueKubeletServingCert(o.serverCA, claims.nodeName, claims.nodeIP ? [claims.nodeIP] : [], o.clock, o.certValidityDays);
}

/**
 * nodeJoinRoutes returns the handler of the join endpoints, served without TLS client
 * authentication because each checks its own credentials:
 *   - GET|POST CLIENT_KUBELET_PATH / SERVING_KUBELET_PATH: basic auth `node:<token secret>` (else
 *     401) and Skiff-Node-Name/-Password/-IP headers (else 400); the node password must match the
 *     node's Secret, which the first join creates (else 403 with what to do). Answers a PEM body:
 *     the certificate, then its private key (generated here, as k3s does).
 *   - GET CLIENT_CA_PATH: basic auth as above; answers the client CA bundle.
 */
export function nodeJoinRoutes(o: NodeJoinOptions): NodeJoinRoutes {
  return async (req, res, path) => {
    if (path !== CLIENT_KUBELET_PATH && path !== SERVING_KUBELET_PATH && path !== CLIENT_CA_PATH) return false;
    req.resume(); // no body is expected: drain whatever came so keep-alive stays usable
    try {
      const method = req.method ?? 'GET';
      const allowed = path === CLIENT_CA_PATH ? ['GET', 'HEAD'] : ['GET', 'POST'];
      if (!allowed.includes(method)) throw errors.methodNotSupported({ group: '', resource: path }, method);
      if (path === CLIENT_CA_PATH) {
        if (!isNodeCertificateOf(req, claimedNodeName(req))) await checkJoinToken(req, o);
        writePem(res, o.clientCA.certPem);
        return true;
      }
      const claims = await admitNode(o, req);
      const cert = await issue(o, path, claims);
      o.logger.debug('issued node certificate', { node: claims.nodeName, path });
      writePem(res, cert.certPem + cert.keyPem);
    } catch (e) {
      writeError(res, e);
    }
    return true;
  };
}
