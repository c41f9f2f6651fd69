import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

// Headers that name the next hop or carry the caller's credentials: the upstream gets its own
// Host and never sees the caller's token or impersonation headers. Upgrade requests have no body.
const DROPPED = new Set(['host', 'authorization', 'proxy-authorization', 'content-length', 'transfer-encoding']);

/**
 * upgradeRequestHead serializes a request line and the client's headers (order and repeats kept,
 * Host replaced, credentials dropped) for an upstream that receives the upgrade request otherwise
 * unchanged.
 */
export function upgradeRequestHead(req: IncomingMessage, path: string, host: string): string {
  let head = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.startsWith('impersonate-')) continue;
    head += `${name}: ${raw[i + 1]!}\r\n`;
  }
  // Say there is no body, so the upstream does not wait for one.
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
