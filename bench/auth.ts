// Authorization and token benchmark: the API create path as a user with RBAC on (1,000 Roles and
// RoleBindings present) against the same run with --authorization-mode AlwaysAllow, and service-
// account tokens issued (TokenRequest) then used to authenticate a request.
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueClientCert, loadCA } from '../src/pki/index.js';
import { pacedLatency, post, startBenchServer, stopBenchServer, throughput, vmRssMB, type BenchServer } from './api.js';

/** AuthBenchResult holds the figures benchAuth measured. */
export interface AuthBenchResult {
  allowCreatesPerSec: number;
  rbacCreatesPerSec: number;
  allowP99Ms: number;
  rbacP99Ms: number;
  tokenPairsPerSec: number;
  idleRssMB: number;
}

/** call sends one request and resolves with its status and body. */
function call(agent: Agent, port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ code: number; body: string }> {
  return new Promise((resolve) => {
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) Object.assign(h, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    const req = request({ host: '127.0.0.1', port, method, path, agent, timeout: 30_000, headers: h }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ code: 0, body: '' }));
    req.end(body);
  });
}

async function inBatches(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await fn(next++);
  }));
}

const RBAC = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';

/** prepare adds 1,000 Roles and RoleBindings for other users, binds user "bench" to edit, and returns bench's HTTPS agent. */
async function prepare(s: BenchServer): Promise<Agent> {
  await inBatches(1000, 32, async (i) => {
    await post(s, `${RBAC}/roles`, JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `r${i}` }, rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'], resourceNames: [`x${i}`] }] }));
    await post(s, `${RBAC}/rolebindings`, JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `b${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `r${i}` }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `u${i}` }, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `g${i}` }] }));
  });
  await post(s, `${RBAC}/rolebindings`, JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bench-edit' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bench' }] }));
  const tls = join(s.dir, 'data', 'server', 'tls');
  const ca = await loadCA('client-ca', readFileSync(join(tls, 'client-ca.crt'), 'utf8'), readFileSync(join(tls, 'client-ca.key'), 'utf8'));
  const cert = await issueClientCert(ca, { commonName: 'bench', organizations: ['bench-users'] });
  return new Agent({ keepAlive: true, maxSockets: 64, ca: readFileSync(join(tls, 'server-ca.crt')), cert: cert.certPem, key: cert.keyPem });
}

interface Measured {
  server: BenchServer;
  user: Agent;
  rss: number;
  rounds: number[];
  errors: number;
  /** failures counts failed creates by HTTP status (0: transport error). */
  failures: Map<number, number>;
  p99: number;
}

async function setUp(mode: string): Promise<Measured> {
  const server = await startBenchServer(['--authorization-mode', mode]);
  await new Promise((r) => setTimeout(r, 1000));
  const rss = vmRssMB(server.proc.pid);
  const user = await prepare(server);
  await throughput({ agent: user, port: server.port }, 'warm', 64, 500);
  return { server, user, rss, rounds: [], errors: 0, failures: new Map(), p99: NaN };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** tokenPairs: for ms, each client asks a token for ServiceAccount bench-sa and makes one request with it; pairs per second. */
async function tokenPairs(s: BenchServer, ms: number): Promise<{ perSec: number; errors: number }> {
  await post(s, '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bench-sa' } }));
  await post(s, `${RBAC}/rolebindings`, JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bench-sa-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'bench-sa', namespace: 'default' }] }));
  const bare = new Agent({ keepAlive: true, maxSockets: 16, ca: readFileSync(join(s.dir, 'data', 'server', 'tls', 'server-ca.crt')) });
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
  const start = performance.now();
  let ok = 0;
  let errors = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (performance.now() - start < ms) {
      const issued = await call(s.agent, s.port, 'POST', '/api/v1/namespaces/default/serviceaccounts/bench-sa/token', body);
      const token = issued.code === 201 ? (JSON.parse(issued.body) as { status?: { token?: string } }).status?.token : undefined;
      const used = token ? await call(bare, s.port, 'GET', '/api/v1/namespaces/default/serviceaccounts/bench-sa', undefined, { Authorization: `Bearer ${token}` }) : { code: 0 };
      if (used.code === 200) ok++;
      else errors++;
    }
  }));
  bare.destroy();
  return { perSec: ok / ((performance.now() - start) / 1000), errors };
}

/**
 * benchAuth runs an AlwaysAllow server and an RBAC one side by side and measures them in
 * alternating rounds (the median of five each), so both see the same machine; then the token
 * figures on the RBAC server.
 */
export async function benchAuth(print: (line: string) => void): Promise<AuthBenchResult> {
  const allow = await setUp('AlwaysAllow');
  let rbac: Measured | undefined;
  try {
    rbac = await setUp('Node,RBAC');
    for (let round = 0; round < 5; round++) {
      for (const m of [allow, rbac]) {
        const t = await throughput({ agent: m.user, port: m.server.port }, `tput${round}`, 64, 2000);
        m.rounds.push(t.perSec);
        m.errors += t.errors;
        for (const [code, n] of t.failures) m.failures.set(code, (m.failures.get(code) ?? 0) + n);
      }
    }
    for (const m of [allow, rbac]) {
      const paced = await pacedLatency({ agent: m.user, port: m.server.port }, 100, 5000);
      m.p99 = paced.p99;
      m.errors += paced.errors;
    }
    const tokens = await tokenPairs(rbac.server, 3000);
    const [a, r] = [median(allow.rounds), median(rbac.rounds)];
    const ratio = r / a;
    print(`auth: creates/s as a user with RBAC (1,000 Roles and bindings) ${Math.round(r)} vs AlwaysAllow ${Math.round(a)} = ${(ratio * 100).toFixed(0)} % (median of 5 alternating rounds; target >= 90 %: ${ratio >= 0.9 ? 'meets target' : 'MISSES target'}) | paced 100/s p99 ${rbac.p99.toFixed(1)} ms vs ${allow.p99.toFixed(1)} ms | ${rbac.errors + allow.errors} failed${rbac.failures.size + allow.failures.size ? ` (by status: ${[...allow.failures, ...rbac.failures].map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''}`);
    print(`auth: TokenRequest + a request authenticated with the token: ${Math.round(tokens.perSec)} pairs/s (16 clients, ${tokens.errors} failed)`);
    print(`auth: server RSS idle after start-up with RBAC, Node authorizer, PSA and token signing on: ${rbac.rss.toFixed(0)} MB (target <= 100 MB: ${rbac.rss <= 100 ? 'meets target' : 'MISSES target'})`);
    return { allowCreatesPerSec: a, rbacCreatesPerSec: r, allowP99Ms: allow.p99, rbacP99Ms: rbac.p99, tokenPairsPerSec: tokens.perSec, idleRssMB: rbac.rss };
  } finally {
    for (const m of [allow, rbac]) {
      if (!m) continue;
      m.user.destroy();
      await stopBenchServer(m.server);
    }
  }
}
