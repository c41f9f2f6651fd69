import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { createCA, issueClientCert, issueServingCert, buildKubeconfig, type CertificateAuthority } from '../../pki/index.js';
import { allResources } from '../../api/resources/index.js';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { ApiCore } from '../core.js';
import { InProcessTransport } from '../in_process.js';
import { ApiServer } from '../server.js';
import { KUBELET_CLIENT_USER, nodeProxySubresources } from './index.js';

/** KubeletRequest is what the fake kubelet saw: plain GETs and upgrade heads. */
export interface KubeletRequest {
  upgrade: string;
  method: string;
  url: string;
  user: string;
  headers: IncomingMessage['headers'];
}

/** FakeKubelet answers containerLogs with `logBody` (or `logError`) and upgrades per `answerUpgrade`. */
export interface FakeKubelet {
  port: number;
  caPem: string;
  seen: KubeletRequest[];
  logBody: string;
  logError?: { code: number; text: string };
  close(): Promise<void>;
}

function peerCN(req: IncomingMessage): string {
  const s = req.socket as TLSSocket;
  return s.authorized ? String(s.getPeerCertificate().subject?.CN ?? '') : '';
}

/** startFakeKubelet starts an HTTPS kubelet double: 101 + echo for SPDY, 403 for WebSocket v5 (as the containerd-backed kubelet). */
export async function startFakeKubelet(clientCaPem: string): Promise<FakeKubelet> {
  const ca = await createCA('kubelet', realClock);
  const serving = await issueServingCert(ca, { commonName: 'node-1', ips: ['127.0.0.1'] });
  const sockets = new Set<Duplex>();
  const fake: FakeKubelet = { port: 0, caPem: ca.certPem, seen: [], logBody: '', close: async () => undefined };
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem, ca: clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    fake.seen.push({ upgrade: '', method: req.method ?? '', url: req.url ?? '', user: peerCN(req), headers: req.headers });
    const err = fake.logError;
    res.writeHead(err ? err.code : 200, { 'Content-Type': 'text/plain' });
    res.end(err ? err.text : fake.logBody);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const upgrade = req.headers.upgrade ?? '';
    fake.seen.push({ upgrade, method: req.method ?? '', url: req.url ?? '', user: peerCN(req), headers: req.headers });
    if (/websocket/i.test(upgrade) && !/v4\.channel/.test(req.headers['sec-websocket-protocol'] ?? '')) {
      return void socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    }
    if (req.url?.includes('command=fail')) {
      const text = 'container not found ("x")';
      return void socket.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
    if (head.length) socket.write(head);
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.port = (server.address() as AddressInfo).port;
  fake.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}

/** TestCluster is an API server (memory storage) wired to a fake kubelet, with an admin kubeconfig. */
export interface TestCluster {
  port: number;
  core: ApiCore;
  kubelet: FakeKubelet;
  admin: { certPem: string; keyPem: string };
  serverCaPem: string;
  kubeconfig: string;
  client: InProcessTransport;
  stop(): Promise<void>;
}

/** NodeProxyApi is an API server on 127.0.0.1 (memory storage, node proxy subresources) with an admin kubeconfig. */
export interface NodeProxyApi {
  port: number;
  core: ApiCore;
  admin: { certPem: string; keyPem: string };
  kubeconfig: string;
  /** client is an in-process system:masters client. */
  client: InProcessTransport;
  /** stop stops the listener, then the core. */
  stop(): Promise<void>;
}

/**
 * startNodeProxyApi starts the API server with a serving cert from serverCA, client certs from
 * clientCA (admin, and the kubelet client it proxies with) and kubelets verified by kubeletCaPem;
 * platform is what /version reports.
 */
export async function startNodeProxyApi(serverCA: CertificateAuthority, clientCA: CertificateAuthority, kubeletCaPem: string, platform = ''): Promise<NodeProxyApi> {
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
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: '', buildDate: '', goVersion: '', compiler: '', platform },
    subresources: nodeProxySubresources(core, { ...kubeletClient, caPem: kubeletCaPem }),
  });
  const port = await api.start();
  const kubeconfig = buildKubeconfig({ server: `https://127.0.0.1:${port}`, caPem: serverCA.certPem, clientCertPem: admin.certPem, clientKeyPem: admin.keyPem });
  const client = new InProcessTransport(core, { name: 'test', groups: ['system:masters'] });
  return {
    port,
    core,
    admin,
    kubeconfig,
    client,
    async stop() {
      await api.stop();
      core.stop();
    },
  };
}

/** startTestCluster starts the API server with the node proxy subresources and a fake kubelet behind node-1. */
export async function startTestCluster(): Promise<TestCluster> {
  const serverCA = await createCA('server', realClock);
  const clientCA = await createCA('client', realClock);
  const kubelet = await startFakeKubelet(clientCA.certPem);
  const api = await startNodeProxyApi(serverCA, clientCA, kubelet.caPem);
  return {
    port: api.port,
    core: api.core,
    kubelet,
    admin: api.admin,
    serverCaPem: serverCA.certPem,
    kubeconfig: api.kubeconfig,
    client: api.client,
    async stop() {
      await api.stop();
      await kubelet.close();
    },
  };
}
