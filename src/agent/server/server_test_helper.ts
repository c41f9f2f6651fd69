import { createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { realClock } from '../../lib/clock.js';
import { createCA, issueClientCert } from '../../pki/index.js';
import { selfSignedKubeletCert } from './tls.js';

/** TestPki is a client CA, a client cert it signed, a foreign client cert, and a kubelet serving cert. */
export interface TestPki {
  clientCaPem: string;
  client: { certPem: string; keyPem: string };
  stranger: { certPem: string; keyPem: string };
  serving: { certPem: string; keyPem: string; caPem: string };
}

/** testPki issues the certificates a kubelet API test needs. */
export async function testPki(): Promise<TestPki> {
  const ca = await createCA('client', realClock);
  const other = await createCA('other', realClock);
  return {
    clientCaPem: ca.certPem,
    client: await issueClientCert(ca, { commonName: 'system:kube-apiserver-kubelet-client' }),
    stranger: await issueClientCert(other, { commonName: 'mallory' }),
    serving: await selfSignedKubeletCert('node-1', '127.0.0.1'),
  };
}

/** UpgradeServer is a plain-TCP server that answers one upgrade with 101, then echoes every byte back. */
export interface UpgradeServer {
  port: number;
  /** heads are the request heads received, in order. */
  heads: string[];
  close(): Promise<void>;
}

/** startUpgradeServer starts an UpgradeServer on 127.0.0.1; `answer` picks the response head for a request head. */
export async function startUpgradeServer(answer: (head: string) => string = () => 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n'): Promise<UpgradeServer> {
  const heads: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      s.off('data', onData);
      const head = buf.subarray(0, end).toString();
      heads.push(head);
      const reply = answer(head);
      s.write(reply);
      if (!reply.startsWith('HTTP/1.1 101')) return void s.end();
      const rest = buf.subarray(end + 4);
      if (rest.length) s.write(rest);
      s.pipe(s);
    };
    s.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    heads,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** rawExchange opens TLS to port, sends request (and `after` once the head answer arrived), and collects what comes back until `until` holds or 5 s pass. */
export async function rawExchange(port: number, cert: { certPem: string; keyPem: string } | undefined, request: string, opts: { after?: string; until: (got: string) => boolean }): Promise<string> {
  const s: TLSSocket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) });
  let got = '';
  let sentAfter = false;
  return await new Promise<string>((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(got);
    };
    const timer = setTimeout(finish, 5000);
    s.on('error', finish);
    s.on('close', finish);
    s.once('secureConnect', () => s.write(request));
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (opts.after !== undefined && !sentAfter && got.includes('\r\n\r\n')) {
        sentAfter = true;
        s.write(opts.after);
      }
      if (opts.until(got)) finish();
    });
  });
}
