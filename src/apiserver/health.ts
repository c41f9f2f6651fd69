/**
 * /healthz, /livez and /readyz as kube-apiserver serves them: named checks, each also at
 * /<endpoint>/<check>; `?verbose` lists them, `?exclude=NAME` skips some; a failure answers 500
 * with every check listed and the reason withheld (it may hold internals).
 */
import type { ServerResponse } from 'node:http';

/** HealthCheck is one named check; it throws or rejects when unhealthy. */
export interface HealthCheck {
  name: string;
  check(): Promise<void> | void;
  /** readyOnly checks appear only under /readyz (e.g. shutdown). */
  readyOnly?: boolean;
}

const ENDPOINTS = ['/healthz', '/livez', '/readyz'];
const CHECK_TIMEOUT_MS = 5_000;

/** healthEndpoint returns the endpoint and check name of a health path, or undefined for other paths. */
export function healthPath(path: string): { endpoint: string; check?: string } | undefined {
  for (const e of ENDPOINTS) {
    if (path === e || path === `${e}/`) return { endpoint: e };
    if (path.startsWith(`${e}/`)) return { endpoint: e, check: path.slice(e.length + 1) };
  }
  return undefined;
}

async function run(c: HealthCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([Promise.resolve().then(() => c.check()), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)))]);
    return undefined;
  } catch (e) {
    return (e as Error).message || 'failed';
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** serveHealth answers one health request from the checks. */
export async function serveHealth(res: ServerResponse, path: { endpoint: string; check?: string }, query: URLSearchParams, all: HealthCheck[]): Promise<void> {
  const checks = all.filter((c) => path.endpoint === '/readyz' || !c.readyOnly);
  if (path.check !== undefined) {
    const c = checks.find((x) => x.name === path.check);
    if (!c) return send(res, 404, '404 page not found\n');
    const failure = await run(c);
    return failure === undefined ? send(res, 200, 'ok') : send(res, 500, `internal server error: ${failure}\n`);
  }
  const excluded = new Set(query.getAll('exclude').flatMap((v) => v.split(',')).filter((v) => v !== ''));
  const lines: string[] = [];
  let failed = false;
  const results = await Promise.all(checks.map((c) => (excluded.has(c.name) ? Promise.resolve('excluded' as const) : run(c))));
  checks.forEach((c, i) => {
    const r = results[i];
    if (r === 'excluded') {
      excluded.delete(c.name);
      lines.push(`[+]${c.name} excluded: ok`);
    } else if (r === undefined) lines.push(`[+]${c.name} ok`);
    else {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  });
  if (excluded.size > 0) lines.push(`warn: some health checks cannot be excluded: no matches for ${[...excluded].map((n) => `"${n}"`).join(',')}`);
  const name = path.endpoint.slice(1);
  if (failed) return send(res, 500, `${lines.join('\n')}\n${name} check failed\n`);
  if (!query.has('verbose')) return send(res, 200, 'ok');
  return send(res, 200, `${lines.join('\n')}\n${name} check passed\n`);
}
