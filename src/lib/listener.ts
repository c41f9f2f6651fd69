import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** ListenError is a port that could not be bound; its message is one line meant for the operator. */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const BIND_REASONS: Record<string, string> = {
  EADDRINUSE: 'address already in use (another process holds the port)',
  EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'address not available (no interface of this machine has it)',
};

/**
 * listen binds server to host:port (port 0: any free one) and resolves with the bound port. A
 * bind error rejects: a ListenError for the usual reasons (port taken, privileged, foreign address).
 */
export async function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException): void => {
      const reason = e.code ? BIND_REASONS[e.code] : undefined;
      const where = `${host && host.includes(':') ? `[${host}]` : (host ?? '0.0.0.0')}:${port}`;
      reject(reason ? new ListenError(`cannot listen on ${where}: ${reason}`, e.code ?? '') : e);
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * closeListener destroys the upgraded sockets (they are no longer the server's connections), closes
 * every open connection and resolves when the listener has closed.
 */
export async function closeListener(server: Server, upgraded: Iterable<Duplex>): Promise<void> {
  for (const sock of upgraded) sock.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
