import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** listen binds server to host:port (port 0: any free one) and resolves with the bound port; a bind error rejects. */
export async function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
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
