import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

// The kubelet authenticates the API server by its client certificate: the caller's own
// credentials and impersonation headers stay here. Upgrade requests carry no body.
const DROPPED = new Set(['host', 'authorization', 'proxy-authorization', 'content-length', 'transfer-encoding']);

/** isUpgraded tells whether Node handed this request's socket over ('upgrade' event): only then may a handler take the socket. */
export function isUpgraded(req: IncomingMessage): boolean {
  // Node sets `upgrade` on requests it dispatched as 'upgrade' (not in @types/node 20).
  return (req as IncomingMessage & { upgrade?: boolean }).upgrade === true && /upgrade/i.test(req.headers.connection ?? '');
}

/** upgradeRequestHead serializes the client's request for the kubelet: new path and Host, headers otherwise as sent. */
export function upgradeRequestHead(req: IncomingMessage, path: string, host: string): string {
  let head = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.startsWith('impersonate-')) continue;
    head += `${name}: ${raw[i + 1]!}\r\n`;
  }
  return head + 'Content-Length: 0\r\n\r\n';
}

/**
 * spliceSockets pipes client and backend both ways once the request went out: the backend's answer
 * (101 and the stream, or an error response) reaches the client unchanged. Either side closing or
 * failing tears down the other.
 */
export function spliceSockets(client: Duplex, backend: Duplex): void {
  const teardown = (): void => {
    client.destroy();
    backend.destroy();
  };
  client.on('error', teardown);
  backend.on('error', teardown);
  client.on('close', () => backend.destroy());
  backend.on('close', () => client.destroy());
  client.pipe(backend);
  backend.pipe(client);
}
