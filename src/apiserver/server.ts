import { createServer as createHttpsServer, type Server } from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../api/errors.js';
import { closeListener, listen } from '../lib/listener.js';
import type { Logger } from '../lib/log.js';
import type { ApiCore } from './core.js';
import { authenticate, ANONYMOUS, PUBLIC_PATHS, type TokenAuthenticator, type UserInfo } from './auth.js';
import { parseRequestInfo, splitRequestUrl, type RequestInfo } from './request_info.js';
import { InflightLimiter, type InflightLimits } from './inflight.js';
import { attributesOf, check, type Authorizer } from './authz/index.js';
import { impersonate } from './authz/impersonation.js';
import { writeError, writeJSON } from './http_io.js';
import { healthPath, serveHealth, type HealthCheck } from './health.js';
import { negotiate } from './negotiate.js';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { RestHandler, type SubresourceHandler } from './rest_handler.js';
import type { OpenApi } from './openapi/index.js';
import type { RequestMetrics } from './metrics/index.js';

/** VersionInfo is what /version returns. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** ApiServerOptions configure the HTTPS front of the API server. */
export interface ApiServerOptions {
  core: ApiCore;
  logger: Logger;
  tls: { certPem: string; keyPem: string; clientCaPem: string };
  bindAddress: string;
  port: number;
  version: VersionInfo;
  openapi?: OpenApi;
  tokens?: TokenAuthenticator[];
  /** authorizer decides every authenticated request but the public ones (kube-apiserver's --authorization-mode). */
  authorizer?: Authorizer;
  subresources?: Map<string, SubresourceHandler>;
  /** caBundlePem is served at /cacerts (the server CA, whose hash node tokens carry). */
  caBundlePem?: string;
  /** inflight limits the requests served at once (--max-requests-inflight, --max-mutating-requests-inflight). */
  inflight?: InflightLimits;
  /** healthChecks are added to the built-in ones (ping, log, etcd, shutdown) of /healthz, /livez and /readyz. */
  healthChecks?: HealthCheck[];
  /**
   * extraRoutes sees every request before authentication (for endpoints that check their own
   * credentials, such as node join); resolving true means it answered the request.
   */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
  /** routes serves further non-resource paths once the caller is authenticated and authorized (OIDC discovery); true means answered. */
  routes?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /** metrics records every request once answered and serves GET /metrics (authorized as a non-resource URL). */
  metrics?: RequestMetrics;
}

/** ApiServer is the HTTPS endpoint kubectl talks to. */
export class ApiServer {
  private server: Server | undefined;
  private readonly rest: RestHandler;
  private readonly upgraded = new Set<Duplex>();
  private readonly limiter: InflightLimiter | undefined;
  private stopping = false;
  /** healthChecks: kube-apiserver's basic checks under their upstream names, then the caller's. */
  private readonly healthChecks: HealthCheck[];

  constructor(private readonly opts: ApiServerOptions) {
    this.healthChecks = [
      { name: 'ping', check: () => undefined },
      { name: 'log', check: () => undefined },
      { name: 'etcd', check: async () => void (await this.opts.core.opts.backend.currentRevision()) },
      { name: 'etcd-readiness', readyOnly: true, check: async () => void (await this.opts.core.opts.backend.currentRevision()) },
      ...(this.opts.healthChecks ?? []),
      {
        name: 'shutdown',
        readyOnly: true,
        check: () => {
          if (this.stopping) throw new Error('process is shutting down');
        },
      },
    ];
    this.rest = new RestHandler(opts.core, opts.subresources);
    this.limiter = opts.inflight ? new InflightLimiter(opts.inflight) : undefined;
  }

  /** start listens; resolves with the bound port. */
  async start(): Promise<number> {
    const { tls } = this.opts;
    const server = createHttpsServer(
      { cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 60_000 },
      (req, res) => void this.handle(req, res),
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    server.headersTimeout = 60_000;
    server.requestTimeout = 0; // watches are long
    this.server = server;
    return listen(server, this.opts.port, this.opts.bindAddress);
  }

  /** stop closes the listener and open connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    await closeListener(s, this.upgraded);
  }

  /** handle serves one request (also usable behind another listener). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const arrived = performance.now();
    try {
      const { path, query } = splitRequestUrl(req.url ?? '/');
      if (this.opts.extraRoutes && (await this.opts.extraRoutes(req, res, path))) return;
      let user = await authenticate(req, this.opts.tokens ?? []);
      if (user === ANONYMOUS && !PUBLIC_PATHS.has(path)) throw errors.unauthorized();
      const info = parseRequestInfo(req.method ?? 'GET', path, query);
      this.opts.metrics?.track(req, res, info, query, arrived);
      // kube-apiserver's order: impersonation, then the in-flight limit, then authorization.
      const authorizer = this.opts.authorizer && !PUBLIC_PATHS.has(path) ? this.opts.authorizer : undefined;
      if (authorizer) user = impersonate(req.headers, user, authorizer);
      const release = this.limiter?.acquire(info, user);
      if (release === null) throw errors.tooManyRequests('Too many requests, please try again later.', 1);
      if (release) {
        // Released once the answer is written (finish) or the client went away (close).
        res.once('finish', release);
        res.once('close', release);
      }
      if (authorizer) check(authorizer, attributesOf(info, user, query));
      await this.route(req, res, path, query, user, info);
    } catch (e) {
      // A body left half read (refused as too large, or never read) makes the connection unusable
      // for the next request: close it after this answer, as Go's net/http does.
      if (!req.complete && !res.headersSent) {
        res.setHeader('Connection', 'close');
        // Let the client finish sending (bounded) before the answer closes the connection:
        // closing mid-upload makes its writes fail (EPIPE) before it ever reads the 413.
        await drainRequest(req, 2000);
      }
      writeError(res, e);
    } finally {
      const ms = Date.now() - started;
      if (ms > 1000 && !(req.url ?? '').includes('watch')) this.opts.logger.debug('slow request', { method: req.method, url: req.url, ms });
    }
  }

  /**
   * handleUpgrade serves a `Connection: Upgrade` request (exec, attach, port-forward) through
   * handle(): a response bound to the raw socket carries error answers; a subresource handler
   * that accepts the upgrade takes `req.socket` over (the bytes read past the head are put back).
   */
  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (head.length > 0) socket.unshift(head);
    socket.on('error', () => socket.destroy());
    // Upgraded sockets are no longer the HTTP server's: stop() ends them itself.
    this.upgraded.add(socket);
    socket.on('close', () => this.upgraded.delete(socket));
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Parameters<ServerResponse['assignSocket']>[0]);
    res.on('finish', () => socket.end());
    void this.handle(req, res);
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, user: UserInfo, info: RequestInfo): Promise<void> {
    const { core } = this.opts;
    if (path === '/version' || path === '/version/') return writeJSON(res, 200, this.opts.version);
    if (path === '/cacerts' && this.opts.caBundlePem) {
      // The CA bundle joining agents check against the hash in their token (k3s's /cacerts).
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(this.opts.caBundlePem) });
      res.end(this.opts.caBundlePem);
      return;
    }
    const health = healthPath(path);
    if (health && (req.method === 'GET' || req.method === 'HEAD')) return serveHealth(res, health, query, this.healthChecks);
    if (path.startsWith('/openapi/')) return this.serveOpenApi(req, res, path);
    if (path === '/metrics' && this.opts.metrics && (req.method === 'GET' || req.method === 'HEAD')) return this.opts.metrics.serve(res);
    if (this.opts.routes?.(req, res, path)) return;
    if (!info.isResourceRequest) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotSupported({ group: '', resource: path }, req.method ?? '');
      const target = negotiate(req.headers.accept, { discovery: true });
      if (path === '/api' || path === '/api/') {
        if (target.as === 'APIGroupDiscoveryList') return this.sendDiscovery(res, aggregatedDiscovery(core.registry, true, target.version), target.version);
        return writeJSON(res, 200, apiVersions(`${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 6443}`));
      }
      if (path === '/apis' || path === '/apis/') {
        if (target.as === 'APIGroupDiscoveryList') return this.sendDiscovery(res, aggregatedDiscovery(core.registry, false, target.version), target.version);
        return writeJSON(res, 200, apiGroupList(core.registry));
      }
      if (info.apiPrefix === 'apis' && !info.version) {
        const g = path.split('/').filter(Boolean)[1] ?? '';
        const doc = apiGroupDoc(core.registry, g);
        if (doc) return writeJSON(res, 200, doc);
      } else if (info.apiPrefix) {
        const doc = apiResourceList(core.registry, info.group, info.version);
        if (doc) return writeJSON(res, 200, doc);
      }
      if (path === '/') return writeJSON(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
      throw errors.notFoundPath(path);
    }
    await this.rest.serve(req, res, info, user, query);
  }

  private sendDiscovery(res: ServerResponse, doc: object, version: string): void {
    writeJSON(res, 200, doc, { 'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList` });
  }

  private serveOpenApi(req: IncomingMessage, res: ServerResponse, path: string): void {
    const api = this.opts.openapi;
    if (!api) throw errors.notFoundPath(path);
    if (path === '/openapi/v2') {
      const doc = api.v2();
      const accept = req.headers.accept ?? '';
      const proto = accept.includes('protobuf');
      const body = proto ? doc.protobuf : doc.json;
      res.writeHead(200, {
        'Content-Type': proto ? 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' : 'application/json',
        'Content-Length': body.length,
        ETag: `"${doc.etag}"`,
      });
      res.end(body);
      return;
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') return writeJSON(res, 200, api.v3Index());
    const gv = path.slice('/openapi/v3/'.length);
    const doc = api.v3GroupVersion(gv);
    if (!doc) throw errors.notFoundPath(path);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': doc.json.length, ETag: `"${doc.etag}"`, 'Cache-Control': 'public, immutable' });
    res.end(doc.json);
  }
}

/** drainRequest discards the rest of a request body, resolving at its end, on close, or after ms. */
function drainRequest(req: IncomingMessage, ms: number): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}
