import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { KubeletError, runningContainerID } from './container_status.js';
import { proxyUpgrade } from './upgrade_proxy.js';
import type { PodSource, StreamingRuntime } from './types.js';
import { parseGoBool } from '../../lib/go_bool.js';

/**
 * RUNTIME_WEBSOCKET_PROTOCOLS are the WebSocket subprotocols the CRI streaming server of containerd
 * 1.6 (the kubelet's legacy streaming package) speaks, for exec, attach and port-forward alike.
 * It knows neither v5.channel.k8s.io (kubectl ≥ 1.30 exec) nor SPDY/3.1+portforward.k8s.io
 * (kubectl ≥ 1.31 port-forward): those are refused here so the client falls back to SPDY.
 */
export const RUNTIME_WEBSOCKET_PROTOCOLS = ['channel.k8s.io', 'base64.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];

/** StreamKind is the kubelet's streaming endpoint. */
export type StreamKind = 'exec' | 'attach' | 'portForward';

function flag(q: URLSearchParams, ...names: string[]): boolean {
  return names.some((n) => parseGoBool(q.get(n) ?? '') === true);
}

/** offeredWebSocketProtocols lists a WebSocket upgrade's Sec-WebSocket-Protocol values ([] for SPDY or none). */
export function offeredWebSocketProtocols(req: IncomingMessage): string[] {
  if (!/websocket/i.test(req.headers.upgrade ?? '')) return [];
  const raw = req.headers['sec-websocket-protocol'] ?? '';
  return raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/** checkWebSocketProtocol refuses (403, as the runtime's handshake would) a WebSocket upgrade offering no protocol the runtime speaks. */
export function checkWebSocketProtocol(req: IncomingMessage): void {
  const offered = offeredWebSocketProtocols(req);
  if (offered.length === 0 || offered.some((p) => RUNTIME_WEBSOCKET_PROTOCOLS.includes(p))) return;
  throw new KubeletError(403, `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${RUNTIME_WEBSOCKET_PROTOCOLS.join(' ')}]`);
}

function parsePorts(q: URLSearchParams): number[] {
  const ports: number[] = [];
  for (const v of q.getAll('port')) {
    for (const p of v.split(',')) {
      if (p.trim() === '') continue;
      const n = Number(p);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new KubeletError(400, `invalid port: ${p}`);
      ports.push(n);
    }
  }
  return ports;
}

/**
 * serveStream answers an upgrade request to /exec|attach/{ns}/{pod}[/{uid}]/{container} or
 * /portForward/{ns}/{pod}[/{uid}]: it asks the runtime for a streaming session and proxies the
 * request to it. Failures before the proxy starts throw KubeletError (the caller writes them).
 */
export async function serveStream(kind: StreamKind, pods: PodSource, runtime: StreamingRuntime, req: IncomingMessage, socket: Duplex, head: Buffer, parts: string[], query: URLSearchParams): Promise<void> {
  const [namespace = '', podName = ''] = parts;
  const uid = kind === 'portForward' ? parts[2] : parts.length > 3 ? parts[2] : undefined;
  const container = kind === 'portForward' ? '' : (parts[parts.length > 3 ? 3 : 2] ?? '');
  if (!podName || (kind !== 'portForward' && !container)) throw new KubeletError(400, `bad request: ${req.url ?? ''}`);
  const pod = await pods(namespace, podName);
  if (!pod || (uid && pod.metadata.uid !== uid)) throw new KubeletError(404, `pod does not exist`);
  checkWebSocketProtocol(req);
  let url: string;
  if (kind === 'portForward') {
    url = await runtime.portForward(pod, parsePorts(query));
  } else {
    const io = { stdin: flag(query, 'input', 'stdin'), stdout: flag(query, 'output', 'stdout'), stderr: flag(query, 'error', 'stderr'), tty: flag(query, 'tty') };
    if (!io.stdin && !io.stdout && !io.stderr) throw new KubeletError(400, 'you must specify at least 1 of stdin, stdout, stderr');
    // With a TTY the terminal merges stderr into stdout, as the kubelet does.
    if (io.tty) io.stderr = false;
    const containerId = runningContainerID(pod, container);
    if (kind === 'exec') {
      const cmd = query.getAll('command');
      if (cmd.length === 0) throw new KubeletError(400, 'you must specify at least one command for the container');
      url = await runtime.exec({ containerId, cmd, ...io });
    } else {
      url = await runtime.attach({ containerId, ...io });
    }
  }
  try {
    await proxyUpgrade(req, socket, head, new URL(url));
  } catch (e) {
    throw new KubeletError(500, `error dialing backend: ${(e as Error).message}`);
  }
}
