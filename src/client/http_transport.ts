import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { errors, StatusError, type Status } from '../api/errors.js';
import type { ApiRequest, PatchKind, Transport, WatchMessage, WatchRequest } from '../api/transport.js';
import { isObject, type KubeObject } from '../api/types.js';

/** HttpTransportOptions say where the API server is and how to trust and authenticate to it. */
export interface HttpTransportOptions {
  /** server is the base URL, `https://host:port`. */
  server: string;
  /** caPem is the CA bundle that signs the server's certificate. */
  caPem: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  bearerToken?: string;
  /** timeoutMs bounds non-watch requests (default 30 s). */
  timeoutMs?: number;
  userAgent?: string;
  /** impersonateUser sends every request as this user (Impersonate-User), which the credentials must be allowed to impersonate. */
  impersonateUser?: string;
}

/** A path-bearing request: everything that names a URL. */
type Target = Pick<ApiRequest, 'group' | 'version' | 'resource' | 'namespace' | 'name' | 'subresource'>;

const methods: Record<ApiRequest['verb'], string> = { get: 'GET', list: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE' };
const patchTypes: Record<PatchKind, string> = { json: 'application/json-patch+json', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json' };
const reasons: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable', 409: 'Conflict', 410: 'Expired', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };

/** apiPath returns the REST path of a request: `/api/v1/namespaces/NS/pods/NAME/status`, `/apis/GROUP/VERSION/...`. */
export function apiPath(t: Target): string {
  const seg = encodeURIComponent;
  let p = t.group ? `/apis/${seg(t.group)}/${seg(t.version)}` : `/api/${seg(t.version)}`;
  if (t.namespace) p += `/namespaces/${seg(t.namespace)}`;
  p += `/${seg(t.resource)}`;
  if (t.name) p += `/${seg(t.name)}`;
  if (t.subresource) p += `/${seg(t.subresource)}`;
  return p;
}

/** statusErrorFrom builds the StatusError of a failed response: the server's Status when it sent one, else one made from the code. */
export function statusErrorFrom(code: number, body: string): StatusError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isObject(parsed) && parsed['kind'] === 'Status') return new StatusError({ ...(parsed as unknown as Status), code: typeof parsed['code'] === 'number' ? parsed['code'] : code });
  } catch {
    // Not JSON: describe it from the status code.
  }
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason: reasons[code] ?? 'Unknown', message: body.trim() || `the server responded with the status code ${code}` };
  return new StatusError(status);
}

/**
 * HttpTransport is the Transport of processes outside the server (agents, simulated nodes): JSON
 * over HTTPS with keep-alive, verifying the server against caPem and authenticating with a client
 * certificate or a bearer token. Non-2xx answers reject with the server's Status as a StatusError;
 * network failures reject with a 503 ServiceUnavailable StatusError naming the cause.
 */
export class HttpTransport implements Transport {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly opts: HttpTransportOptions) {
    this.base = new URL(opts.server);
    if (this.base.protocol !== 'https:') throw new Error(`server URL must be https://host:port, not ${JSON.stringify(opts.server)}`);
    const tls: { ca: string; cert?: string; key?: string } = { ca: opts.caPem };
    if (opts.clientCertPem) tls.cert = opts.clientCertPem;
    if (opts.clientKeyPem) tls.key = opts.clientKeyPem;
    this.agent = new Agent({ keepAlive: true, ...tls });
  }

  /** close drops idle keep-alive connections (open watches end too). */
  close(): void {
    this.agent.destroy();
  }

  private options(method: string, path: string, query: Record<string, string> | undefined, headers: Record<string, string>): RequestOptions {
    const qs = new URLSearchParams(query ?? {}).toString();
    const h: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.opts.userAgent ?? 'skiff-agent', ...headers };
    if (this.opts.bearerToken) h.Authorization = `Bearer ${this.opts.bearerToken}`;
    if (this.opts.impersonateUser) h['Impersonate-User'] = this.opts.impersonateUser;
    return { agent: this.agent, method, hostname: this.base.hostname.replace(/^\[|\]$/g, ''), port: this.base.port || 443, path: `${this.base.pathname.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`, headers: h };
  }

  private unreachable(err: Error): StatusError {
    return errors.serviceUnavailable(`cannot reach the API server at ${this.opts.server}: ${err.message}`);
  }

  /** request performs one call and resolves with the decoded JSON answer. */
  request(req: ApiRequest): Promise<unknown> {
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['Content-Type'] = req.verb === 'patch' ? patchTypes[req.patchType ?? 'merge'] : 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const o = this.options(methods[req.verb], apiPath(req), req.query, headers);
    return new Promise((resolve, reject) => {
      const r = httpsRequest(o, (res) => {
        readAll(res).then((body) => {
          const code = res.statusCode ?? 0;
          if (code < 200 || code > 299) return reject(statusErrorFrom(code, body));
          try {
            resolve(body.trim() === '' ? undefined : JSON.parse(body));
          } catch (e) {
            reject(errors.internal(`invalid JSON from the API server: ${(e as Error).message}`));
          }
        }, (e: Error) => reject(this.unreachable(e)));
      });
      r.setTimeout(this.opts.timeoutMs ?? 30_000, () => r.destroy(new Error('request timed out')));
      r.on('error', (e) => reject(this.unreachable(e)));
      r.end(payload);
    });
  }

  /** watch streams newline-delimited events of a `watch=1` GET; stop() aborts the request (onClose is not called then). */
  watch(req: WatchRequest, onEvent: (e: WatchMessage) => void, onClose: (err?: Error) => void): Promise<() => void> {
    const o = this.options('GET', apiPath(req), { ...(req.query ?? {}), watch: '1' }, {});
    return new Promise((resolve, reject) => {
      let stopped = false;
      let closed = false;
      const close = (err?: Error): void => {
        if (closed || stopped) return;
        closed = true;
        onClose(err);
      };
      const r = httpsRequest(o, (res) => {
        const code = res.statusCode ?? 0;
        if (code < 200 || code > 299) {
          readAll(res).then((body) => reject(statusErrorFrom(code, body)), (e: Error) => reject(this.unreachable(e)));
          return;
        }
        resolve(() => {
          stopped = true;
          r.destroy();
        });
        streamEvents(res, (e) => {
          if (!stopped && !closed) onEvent(e);
        }, close);
      });
      r.on('error', (e) => {
        reject(this.unreachable(e));
        close(this.unreachable(e));
      });
      r.end();
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** streamEvents parses `{"type":…,"object":…}` lines as they arrive; a malformed line ends the watch with an error. */
function streamEvents(res: IncomingMessage, onEvent: (e: WatchMessage) => void, close: (err?: Error) => void): void {
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let e: unknown;
      try {
        e = JSON.parse(line);
      } catch {
        res.destroy();
        return close(new Error(`malformed watch event: ${line.slice(0, 100)}`));
      }
      if (isObject(e) && typeof e['type'] === 'string' && isObject(e['object'])) onEvent({ type: e['type'] as WatchMessage['type'], object: e['object'] as KubeObject });
    }
  });
  res.on('end', () => close());
  res.on('error', (err) => close(err));
  res.on('close', () => close());
}
