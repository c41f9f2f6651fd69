import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { createCA, issueClientCert, issueServingCert, type CertificateAuthority } from '../../pki/index.js';
import { allResources } from '../../api/resources/index.js';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { ApiCore } from '../core.js';
import { InProcessTransport } from '../in_process.js';
import { ApiServer } from '../server.js';
import { KUBELET_CLIENT_USER } from '../node_proxy/index.js';
import { proxySubresources } from './index.js';

/** SeenRequest is what a backend double received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Backend is a plain HTTP server on 127.0.0.1 standing in for a pod. */
export interface Backend {
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * startBackend answers `/redirect` with a 302 to `/target/?x=1`, `/redirect-absolute` with one to
 * `http://<Host>/target`, `/cors` with CORS headers, and
 * anything else with 200 and a JSON echo of method, url and body; `label` names the backend.
 */
export async function startBackend(label: string): Promise<Backend> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: '/target/?x=1' });
        return void res.end();
      }
      if (req.url === '/redirect-absolute') {
        res.writeHead(302, { Location: `http://${req.headers.host ?? ''}/target` });
        return void res.end();
      }
      if (req.url === '/cors') {
        res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'X-Kept': 'yes', Connection: 'close, X-Hop', 'X-Hop': 'dropped' });
        return void res.end('cors');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ label, method: req.method, url: req.url, body }));
    });
  });
  // Upgrades are answered 101 with the request line echoed, then an echo of the stream.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${req.headers.upgrade ?? ''}\r\nX-Url: ${req.url ?? ''}\r\n\r\n`);
    if (head.length) socket.write(head);
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** ProxyApi is an API server on 127.0.0.1 with the proxy subresources; every backend IP is dialled as 127.0.0.1. */
export interface ProxyApi {
  port: number;
  core: ApiCore;
  serverCA: CertificateAuthority;
  clientCA: CertificateAuthority;
  admin: { certPem: string; keyPem: string };
  client: InProcessTransport;
  stop(): Promise<void>;
}

/** startProxyApi starts the API server (memory storage) whose proxies dial 127.0.0.1 for any backend IP (pods and nodes are given 10.x IPs). */
export async function startProxyApi(): Promise<ProxyApi> {
  const serverCA = await createCA('server', realClock);
  const clientCA = await createCA('client', realClock);
  const serving = await issueServingCert(serverCA, { commonName: 'kube-apiserver', ips: ['127.0.0.1'] });
  const admin = await issueClientCert(clientCA, { commonName: 'system:admin', organizations: ['system:masters'] });
  const kubeletClient = await issueClientCert(clientCA, { commonName: KUBELET_CLIENT_USER });
  const core = new ApiCore({ backend: new MemoryBackend(), resources: allResources(), clock: realClock, logger: silentLogger, admission: [] });
  await core.start();
  const api = new ApiServer({
    core,
    logger: silentLogger,
    tls: { certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: clientCA.certPem },
    bindAddress: '127.0.0.1',
    port: 0,
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: '', buildDate: '', goVersion: '', compiler: '', platform: '' },
    subresources: proxySubresources(core, { kubelet: kubeletClient, connectTo: () => '127.0.0.1' }),
  });
  const port = await api.start();
  return {
    port,
    core,
    serverCA,
    clientCA,
    admin,
    client: new InProcessTransport(core, { name: 'test', groups: ['system:masters'] }),
    async stop() {
      await api.stop();
      core.stop();
    },
  };
}
