import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { realClock, type Clock } from '../../lib/clock.js';
import { closeListener, listen } from '../../lib/listener.js';
import type { Logger } from '../../lib/log.js';
import { isCriNotFound } from '../cri/errors.js';
import { KubeletError } from './container_status.js';
import { serveContainerLogs } from './logs.js';
import { serveStream, type StreamKind } from './streaming.js';
import { writeRawError } from './upgrade_proxy.js';
import type { KubeletTLS, PodSource, StreamingRuntime } from './types.js';
import type { KubeletMetrics } from './metrics.js';
import { serveStats, STATS_PATHS, type NodeStatsCollector } from '../stats/index.js';

/** DEFAULT_KUBELET_PORT is the kubelet API's port (`--kubelet-port`). */
export const DEFAULT_KUBELET_PORT = 10250;

/** KubeletServerOptions configure the kubelet API of one node. */
export interface KubeletServerOptions {
  /** bindAddress is the node IP (the address the Node object advertises). */
  bindAddress: string;
  /** port defaults to DEFAULT_KUBELET_PORT; 0 picks a free port. */
  port?: number;
  tls: KubeletTLS;
  pods: PodSource;
  runtime: StreamingRuntime;
  logger: Logger;
  clock?: Clock;
  /** pollMs/checkMs tune `follow` (how often the file and the container's state are checked). */
  pollMs?: number;
  checkMs?: number;
  /** metrics serves GET /metrics (process metrics, running pods and containers). */
  metrics?: KubeletMetrics;
  /** stats serves GET /stats/summary, /metrics/resource and /metrics/cadvisor (../stats). */
  stats?: NodeStatsCollector;
}

const STREAMS: Record<string, StreamKind> = { exec: 'exec', attach: 'attach', portForward: 'portForward' };

/**
 * KubeletServer is the kubelet API (HTTPS, port 10250) the API server calls for logs, exec, attach
 * and port-forward. Every request must present a client certificate that chains to the cluster's
 * client CA (else 401). Streaming requests are proxied to the runtime's streaming server.
 */
export class KubeletServer {
  private server: Server | undefined;
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly opts: KubeletServerOptions) {}

  /** start listens on bindAddress:port and resolves with the bound port. */
  async start(): Promise<number> {
    const { tls } = this.opts;
    // rejectUnauthorized false: a missing or foreign certificate gets an HTTP 401, not a TLS alert.
    const server = createServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head));
    server.requestTimeout = 0; // follow streams are long
    this.server = server;
    return listen(server, this.opts.port ?? DEFAULT_KUBELET_PORT, this.opts.bindAddress);
  }

  /**
   * updateTLS swaps the serving certificate and the client CA bundle: connections made from now on
   * see the new ones; open connections keep theirs (a renewed certificate needs no restart).
   */
  updateTLS(tls: KubeletTLS): void {
    this.server?.setSecureContext({ cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem });
  }

  /** stop closes the listener, open requests and streaming sessions. */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    await closeListener(s, this.upgraded);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!(req.socket as TLSSocket).authorized) throw new KubeletError(401, 'Unauthorized');
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const [root = '', ...parts] = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      }
      if (url.pathname === '/metrics' && this.opts.metrics && (req.method === 'GET' || req.method === 'HEAD')) return await this.opts.metrics.serve(res);
      if (STATS_PATHS.has(url.pathname) && this.opts.stats && (req.method === 'GET' || req.method === 'HEAD')) return await serveStats(url.pathname, this.opts.stats, res);
      if (root === 'containerLogs') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new KubeletError(405, `${req.method ?? ''} is not allowed`);
        const clock = this.opts.clock ?? realClock;
        const ctx = { pods: this.opts.pods, runtime: this.opts.runtime, clock, ...(this.opts.pollMs !== undefined ? { pollMs: this.opts.pollMs } : {}), ...(this.opts.checkMs !== undefined ? { checkMs: this.opts.checkMs } : {}) };
        return await serveContainerLogs(ctx, req, res, parts, url.searchParams);
      }
      if (STREAMS[root]) throw new KubeletError(400, 'Upgrade request required');
      throw new KubeletError(404, '404 page not found');
    } catch (e) {
      const { code, message } = this.errorOf(e, req);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message) });
      res.end(message);
    }
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.upgraded.add(socket);
    socket.on('close', () => this.upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    try {
      if (!(req.socket as TLSSocket).authorized) throw new KubeletError(401, 'Unauthorized');
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const [root = '', ...parts] = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
      const kind = STREAMS[root];
      if (!kind) throw new KubeletError(404, '404 page not found');
      await serveStream(kind, this.opts.pods, this.opts.runtime, req, socket, head, parts, url.searchParams);
    } catch (e) {
      const { code, message } = this.errorOf(e, req);
      writeRawError(socket, code, message);
    }
  }

  private errorOf(e: unknown, req: IncomingMessage): { code: number; message: string } {
    if (e instanceof KubeletError) return { code: e.code, message: e.message };
    const message = (e as Error)?.message ?? String(e);
    if (isCriNotFound(e)) return { code: 404, message };
    this.opts.logger.warn('kubelet API request failed', { url: req.url, err: message });
    return { code: 500, message };
  }
}
