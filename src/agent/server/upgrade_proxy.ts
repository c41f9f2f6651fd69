import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { spliceSockets, upgradeRequestHead } from '../../lib/upgrade.js';

/** requestHead serializes the client's upgrade request for the runtime's streaming server. */
export const requestHead = upgradeRequestHead;

export { spliceSockets };

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
