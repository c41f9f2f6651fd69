import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

// Headers that name the kubelet hop or carry the caller's credentials: the runtime's streaming
// server gets its own Host and never sees the caller's token.
const DROPPED = new Set(['host', 'authorization', 'proxy-authorization', 'content-length', 'transfer-encoding']);

/**
 * requestHead serializes a request line and the client's headers (order and repeats kept, Host
 * replaced, credentials dropped) for an upstream that receives the request unchanged otherwise.
 */
export function requestHead(req: IncomingMessage, path: string, host: string): string {
  let head = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.startsWith('impersonate-')) continue;
    head += `${name}: ${raw[i + 1]!}\r\n`;
  }
  // Upgrade requests carry no body; say so explicitly so the upstream does not wait for one.
  return head + 'Content-Length: 0\r\n\r\n';
}

/** spliceSockets pipes a and b both ways; when either fails or closes, the other is torn down too. */
export function spliceSockets(a: Duplex, b: Duplex): void {
  const teardown = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', teardown);
  b.on('error', teardown);
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
}

/** writeRawError answers a raw (upgrade) socket with a plain-text HTTP error and closes it. */
export function writeRawError(socket: Duplex, code: number, message: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(message);
  let head = `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  socket.end(Buffer.concat([Buffer.from(head + 'Connection: close\r\n\r\n'), body]));
}

/** dialTCP connects to host:port, rejecting on failure or after timeoutMs. */
export function dialTCP(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const fail = (e: Error): void => {
      s.destroy();
      reject(e);
    };
    s.setTimeout(timeoutMs, () => fail(new Error(`dial tcp ${host}:${port}: i/o timeout`)));
    s.once('error', fail);
    s.once('connect', () => {
      s.setTimeout(0);
      s.off('error', fail);
      resolve(s);
    });
  });
}

/**
 * proxyUpgrade forwards an upgrade request to the URL of a runtime's streaming server: it dials the
 * URL, writes the client's request (path from the URL, headers unchanged) and the bytes that came
 * after it (`head`), then pipes both connections; the upstream's answer (101, or an error) reaches
 * the client untouched. It rejects, having written nothing, when the URL cannot be dialed.
 */
export async function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: URL, timeoutMs = 10_000): Promise<void> {
  if (target.protocol !== 'http:') throw new Error(`unsupported streaming URL scheme ${target.protocol}`);
  const port = Number(target.port || 80);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const upstream = await dialTCP(host, port, timeoutMs);
  upstream.write(requestHead(req, target.pathname + target.search, target.host));
  if (head.length > 0) upstream.write(head);
  spliceSockets(client, upstream);
}
