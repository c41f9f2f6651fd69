import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { arr, field, num, objAt, str } from '../../../api/object.js';
import type { CriClient } from '../../cri/types.js';
import { CriTimeoutError } from '../../cri/errors.js';

/** ProbeOutcome is one check's result: success, failure (with the message events show) or unknown (errors that say nothing about the container). */
export interface ProbeOutcome {
  result: 'success' | 'failure' | 'unknown';
  output: string;
}

/** ProbeTarget is the container a handler acts on. */
export interface ProbeTarget {
  cri: CriClient;
  containerId: string;
  podIP: string;
  /** container is the container's spec (named ports are looked up in it). */
  container: unknown;
}

const MAX_BODY = 10 * 1024;
const USER_AGENT = 'kube-probe/1.32';

function resolvePort(port: unknown, container: unknown): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return num(arr(container, 'ports').find((p) => str(p, 'name') === port), 'containerPort');
}

async function execCheck(t: ProbeTarget, command: string[], timeoutSeconds: number): Promise<ProbeOutcome> {
  try {
    const r = await t.cri.execSync(t.containerId, command, timeoutSeconds);
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
    return { result: r.exitCode === 0 ? 'success' : 'failure', output };
  } catch (e) {
    if (e instanceof CriTimeoutError) return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
    return { result: 'unknown', output: (e as Error).message };
  }
}

/** httpCheck GETs scheme://host:port/path (HTTPS without verification); 200–399 is success. */
export function httpCheck(url: URL, headers: Record<string, string>, timeoutSeconds: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const doRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = doRequest(url, { method: 'GET', headers: { 'User-Agent': USER_AGENT, Accept: '*/*', ...headers }, timeout: timeoutSeconds * 1000, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { result: 'success', output: body.slice(0, MAX_BODY) } : { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (e) => resolve({ result: 'failure', output: `Get "${url.href}": ${e.message}` }));
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ result: 'failure', output: `Get "${url.href}": ${dialError(url.hostname, url.port, e)}` }));
    req.end();
  });
}

function dialError(host: string, port: string | number, e: NodeJS.ErrnoException): string {
  if (e.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (e.code === 'EHOSTUNREACH') return `dial tcp ${host}:${port}: connect: no route to host`;
  return e.message;
}

/** tcpCheck opens a TCP connection to host:port; connecting is success. */
export function tcpCheck(host: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: timeoutSeconds * 1000 });
    sock.on('connect', () => {
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.on('timeout', () => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` });
    });
    sock.on('error', (e: NodeJS.ErrnoException) => resolve({ result: 'failure', output: dialError(host, port, e) }));
  });
}

/**
 * runHandler runs a probe or lifecycle handler (exec, httpGet, tcpSocket; grpc is treated as
 * healthy as this node cannot speak it) against a container, bounded by timeoutSeconds.
 */
export async function runHandler(handler: unknown, t: ProbeTarget, timeoutSeconds: number): Promise<ProbeOutcome> {
  const exec = objAt(handler, 'exec');
  if (exec) return execCheck(t, arr(exec, 'command').map(String), timeoutSeconds);
  const http = objAt(handler, 'httpGet');
  if (http) {
    const port = resolvePort(field(http, 'port'), t.container);
    if (port === undefined) return { result: 'failure', output: `unknown port ${JSON.stringify(field(http, 'port'))}` };
    const scheme = (str(http, 'scheme') ?? 'HTTP').toLowerCase();
    const host = str(http, 'host') || t.podIP;
    const path = str(http, 'path') ?? '/';
    const url = new URL(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path.startsWith('/') ? path : `/${path}`}`);
    const headers: Record<string, string> = {};
    for (const h of arr(http, 'httpHeaders')) headers[str(h, 'name') ?? ''] = str(h, 'value') ?? '';
    return httpCheck(url, headers, timeoutSeconds);
  }
  const tcp = objAt(handler, 'tcpSocket');
  if (tcp) {
    const port = resolvePort(field(tcp, 'port'), t.container);
    if (port === undefined) return { result: 'failure', output: `unknown port ${JSON.stringify(field(tcp, 'port'))}` };
    return tcpCheck(str(tcp, 'host') || t.podIP, port, timeoutSeconds);
  }
  if (objAt(handler, 'grpc')) return { result: 'success', output: 'grpc probes are not supported on this node' };
  return { result: 'unknown', output: 'no handler' };
}
