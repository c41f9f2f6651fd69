import { request as httpRequest, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { errors, type StatusError } from '../../api/errors.js';
import { spliceSockets, upgradeRequestHead } from '../../lib/upgrade.js';
import type { ProxyTarget } from './location.js';
import { escapePath, pathPrepend, rewriteLocation } from './rewrite.js';

// Hop-by-hop headers (RFC 9110 §7.6.1, Go's httputil.ReverseProxy list) and the caller's
// credentials, which the API server consumed and never passes on.
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const CORS = new Set(['access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin']);

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  ETIMEDOUT: 'i/o timeout',
  ECONNRESET: 'read: connection reset by peer',
};

/** dialError is kube-apiserver's answer when the backend cannot be reached: 503 with Go's dial error text. */
export function dialError(target: ProxyTarget, e: NodeJS.ErrnoException): StatusError {
  const text = (e.code && ERRNO_TEXT[e.code]) ?? e.message;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  let message = `error trying to reach service: dial tcp ${host}:${target.port ?? (target.scheme === 'https' ? 443 : 80)}: ${text}`;
  // Without a route the API server is not on the pod network (e.g. --disable-agent on a machine without it).
  if (e.code === 'ENETUNREACH' || e.code === 'EHOSTUNREACH') message += ' (the API server has no route to this address: is it running on a node of the pod network?)';
  return errors.serviceUnavailable(message);
}

function connectionTokens(headers: IncomingMessage['headers']): Set<string> {
  const c = headers.connection ?? '';
  return new Set(c.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
}

/** forwardedHeaders copies the client's headers minus hop-by-hop and credentials, plus X-Forwarded-For/-Uri. */
function forwardedHeaders(req: IncomingMessage, forwardedUri: string): OutgoingHttpHeaders {
  const drop = connectionTokens(req.headers);
  const out: OutgoingHttpHeaders = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || drop.has(lower) || lower === 'authorization' || lower.startsWith('impersonate-')) continue;
    const prev = out[lower];
    out[lower] = prev === undefined ? raw[i + 1]! : [...(Array.isArray(prev) ? prev : [String(prev)]), raw[i + 1]!];
  }
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  if (client) out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client;
  out['x-forwarded-uri'] = forwardedUri;
  return out;
}

/** responseHeaders is the backend's answer head minus hop-by-hop and CORS headers, Location rewritten. */
function responseHeaders(upstream: IncomingMessage, rewrite: (location: string) => string): string[] {
  const drop = connectionTokens(upstream.headers);
  const out: string[] = [];
  const raw = upstream.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || drop.has(lower) || CORS.has(lower)) continue;
    out.push(name, lower === 'location' ? rewrite(raw[i + 1]!) : raw[i + 1]!);
  }
  return out;
}

/** ProxyRequest is one request to pass on: where to, the backend path (decoded) and the raw query. */
export interface ProxyRequest {
  target: ProxyTarget;
  backendPath: string;
  requestPath: string;
  /** restCount is the number of path parts after the subresource. */
  restCount: number;
  rawQuery: string;
}

function authority(t: ProxyTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return t.port === undefined ? host : `${host}:${t.port}`;
}

/**
 * forward passes one HTTP request to the backend and streams both bodies (k8s.io/apimachinery's
 * UpgradeAwareHandler with its rewriting transport). Failures before the answer starts throw a
 * StatusError; later ones end the connection.
 */
export async function forward(req: IncomingMessage, res: ServerResponse, p: ProxyRequest): Promise<void> {
  const path = (escapePath(p.backendPath) || '/') + (p.rawQuery ? `?${p.rawQuery}` : '');
  const prepend = pathPrepend(p.requestPath, p.restCount);
  let forwardedUri = prepend + escapePath(p.backendPath);
  if (p.requestPath.endsWith('/') && !forwardedUri.endsWith('/')) forwardedUri += '/';
  const t = p.target;
  const options = { host: t.dialHost ?? t.host, port: t.port, method: req.method ?? 'GET', path, headers: forwardedHeaders(req, forwardedUri), agent: false as const };
  const upstreamReq = t.scheme === 'https' ? httpsRequest({ ...t.tls, ...options }) : httpRequest(options);
  res.on('close', () => upstreamReq.destroy());
  // Bound connecting only: an answer may stream for as long as both sides keep it open.
  upstreamReq.once('socket', (s) => {
    s.setTimeout(10_000, () => upstreamReq.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })));
    s.once(t.scheme === 'https' ? 'secureConnect' : 'connect', () => s.setTimeout(0));
  });
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    upstreamReq.once('response', resolve);
    // `on`, not `once`: a backend failing mid-answer errors again after the promise settled.
    upstreamReq.on('error', (e) => {
      reject(dialError(t, e));
      if (res.headersSent) res.destroy();
    });
    req.pipe(upstreamReq);
  });
  const requestHost = req.headers.host ?? '';
  res.writeHead(upstream.statusCode ?? 502, responseHeaders(upstream, (l) => rewriteLocation(l, authority(t), requestHost, prepend)));
  // Streams (watch-like answers, server-sent events) should reach the client as they come.
  res.flushHeaders();
  upstream.on('error', () => res.destroy());
  upstream.pipe(res);
  await new Promise<void>((resolve) => res.on('close', resolve));
}

/** forwardUpgrade passes a `Connection: Upgrade` request (WebSocket, SPDY) on and splices the connections. */
export async function forwardUpgrade(req: IncomingMessage, p: ProxyRequest): Promise<void> {
  const t = p.target;
  const port = t.port ?? (t.scheme === 'https' ? 443 : 80);
  const backend = await new Promise<Socket>((resolve, reject) => {
    const s = t.scheme === 'https' ? tlsConnect({ ...t.tls, host: t.dialHost ?? t.host, port, ALPNProtocols: ['http/1.1'] }) : netConnect({ host: t.dialHost ?? t.host, port });
    s.setTimeout(10_000, () => s.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })));
    s.once('error', (e) => reject(dialError(t, e)));
    s.once(t.scheme === 'https' ? 'secureConnect' : 'connect', () => {
      s.setTimeout(0);
      s.removeAllListeners('error');
      resolve(s);
    });
  });
  const path = (escapePath(p.backendPath) || '/') + (p.rawQuery ? `?${p.rawQuery}` : '');
  backend.write(upgradeRequestHead(req, path, authority(t)));
  spliceSockets(req.socket, backend);
}
