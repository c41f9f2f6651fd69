import { createServer as createHttpsServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../lib/log.js';
import { serveStats, STATS_PATHS, type NodeStatsCollector } from '../stats/index.js';
import type { KubeletTLS } from './types.js';

/** FleetKubeletNode is one simulated node the shared server answers for. */
export interface FleetKubeletNode {
  nodeName: string;
  stats: NodeStatsCollector;
}

/** FleetKubeletServerOptions configure a FleetKubeletServer. */
export interface FleetKubeletServerOptions {
  /** bindAddress is the address every node of the fleet advertises (they share it). */
  bindAddress: string;
  tls: KubeletTLS;
  logger: Logger;
  nodes: FleetKubeletNode[];
}

/**
 * FleetKubeletServer is the kubelet API of many simulated nodes in one process. Nodes of one
 * `skiff sim-nodes` share an IP, so each gets its own port (advertised in the Node's
 * status.daemonEndpoints.kubeletEndpoint.Port) and a scraper reaches `https://<InternalIP>:<Port>`
 * exactly as it reaches a kubelet; one TLS server serves all ports and tells nodes apart by the
 * port a connection came in on. Served: /healthz and the stats endpoints (/stats/summary,
 * /metrics/resource, /metrics/cadvisor); client certificates must chain to the client CA (else 401).
 */
export class FleetKubeletServer {
  private server: Server | undefined;
  private readonly listeners: TcpServer[] = [];
  private readonly byPort = new Map<number, FleetKubeletNode>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: FleetKubeletServerOptions) {}

  /** start listens on one free port per node and resolves with each node's port. */
  async start(): Promise<Map<string, number>> {
    const { tls } = this.opts;
    const server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => void this.handle(req, res));
    this.server = server;
    const ports = new Map<string, number>();
    for (const node of this.opts.nodes) {
      const l = createTcpServer((sock) => {
        this.sockets.add(sock);
        sock.once('close', () => this.sockets.delete(sock));
        server.emit('connection', sock);
      });
      await new Promise<void>((resolve, reject) => {
        l.once('error', reject);
        l.listen(0, this.opts.bindAddress, () => {
          l.off('error', reject);
          resolve();
        });
      });
      const port = (l.address() as AddressInfo).port;
      this.listeners.push(l);
      this.byPort.set(port, node);
      ports.set(node.nodeName, port);
    }
    return ports;
  }

  /** updateTLS swaps the serving certificate and client CA for new connections. */
  updateTLS(tls: KubeletTLS): void {
    this.server?.setSecureContext({ cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem });
  }

  /** stop closes every listener and open connection. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.listeners.splice(0).map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (code: number, message: string): void => {
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message) });
      res.end(message);
    };
    try {
      const sock = req.socket as TLSSocket;
      if (!sock.authorized) return reply(401, 'Unauthorized');
      const node = this.byPort.get(sock.localPort ?? 0);
      const path = new URL(req.url ?? '/', 'https://kubelet').pathname;
      if (!node) return reply(404, '404 page not found');
      if (path === '/healthz') return reply(200, 'ok');
      if (STATS_PATHS.has(path) && (req.method === 'GET' || req.method === 'HEAD')) return await serveStats(path, node.stats, res);
      return reply(404, '404 page not found');
    } catch (e) {
      this.opts.logger.warn('kubelet API request failed', { url: req.url, err: (e as Error).message });
      if (!res.headersSent) reply(500, (e as Error).message);
      else res.destroy();
    }
  }
}
