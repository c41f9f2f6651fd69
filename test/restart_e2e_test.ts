// Durability across `kill -9`: every create the server acknowledged (201) is there after a restart
// on the same data dir, and the restart keeps the cluster's identity (CA, kubeconfig, tokens, the
// kubernetes Service address).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startServer, type TestServer } from './harness.js';

const servers: TestServer[] = [];
const agents: Agent[] = [];
after(async () => {
  for (const a of agents) a.destroy();
  for (const s of servers) await s.stop('SIGKILL');
  const dir = servers[0]?.dir;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** adminAgent builds a keep-alive HTTPS agent with the kubeconfig's CA and admin client certificate. */
function adminAgent(kubeconfig: string): Agent {
  const kc = parseYaml(readFileSync(kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
  const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
  const user = kc.users[0]?.user ?? {};
  const agent = new Agent({ keepAlive: true, maxSockets: 32, ca: b64(kc.clusters[0]?.cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) });
  agents.push(agent);
  return agent;
}

/** call makes one request (10 s timeout) and resolves with its status and parsed body; transport errors reject. */
function call(server: TestServer, agent: Agent, method: string, path: string, body?: unknown): Promise<{ code: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = text === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) };
    const req = request({ host: '127.0.0.1', port: server.port, method, path, agent, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve({ code: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(text);
  });
}

const CMS = '/api/v1/namespaces/default/configmaps';

/** createMany creates names with `workers` concurrent clients; resolves with the names acknowledged by 201. */
async function createMany(server: TestServer, agent: Agent, names: string[], workers: number, onAck?: (n: number) => void): Promise<string[]> {
  const acked: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++]!;
      try {
        const r = await call(server, agent, 'POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } });
        if (r.code === 201) {
          acked.push(name);
          onAck?.(acked.length);
        }
      } catch {
        // The server went away mid-request: not acknowledged, so no promise was made.
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return acked;
}

/** identity reads the files a restart must keep byte for byte. */
function identity(s: TestServer): Record<string, string> {
  const out: Record<string, string> = { kubeconfig: readFileSync(s.kubeconfig, 'utf8') };
  const server = join(s.dir, 'data', 'server');
  for (const f of ['token', 'node-token']) out[f] = readFileSync(join(server, f), 'utf8');
  for (const f of readdirSync(join(server, 'tls')).sort()) out[`tls/${f}`] = readFileSync(join(server, 'tls', f), 'utf8');
  return out;
}

test('acknowledged creates survive kill -9; the restart keeps CA, kubeconfig, tokens and 10.43.0.1', async () => {
  const first = await startServer();
  servers.push(first);
  const agent1 = adminAgent(first.kubeconfig);
  const before = identity(first);
  assert.ok(Object.keys(before).some((k) => k.endsWith('-ca.crt')), `CA files: ${Object.keys(before).join(', ')}`);

  const burst1 = Array.from({ length: 200 }, (_, i) => `first-${i}`);
  const acked1 = await createMany(first, agent1, burst1, 50);
  assert.equal(acked1.length, 200, 'the whole first burst is acknowledged');

  // Second burst: SIGKILL once a fair part is acknowledged, with more requests in flight.
  const burst2 = Array.from({ length: 2000 }, (_, i) => `second-${i}`);
  let killed = false;
  const acked2 = await createMany(first, agent1, burst2, 50, (n) => {
    if (n >= 150 && !killed) {
      killed = true;
      first.proc.kill('SIGKILL');
    }
  });
  await first.stop('SIGKILL');
  assert.ok(killed, 'the server was killed mid-burst');
  assert.equal(first.proc.signalCode, 'SIGKILL');
  assert.ok(acked2.length >= 150 && acked2.length < burst2.length, `acknowledged ${acked2.length} of the second burst`);

  // Same port again, so even the kubeconfig must come back byte for byte.
  const second = await startServer(['--https-listen-port', String(first.port)], first.dir);
  servers.push(second);
  assert.deepEqual(identity(second), before);
  const agent2 = adminAgent(second.kubeconfig);

  const list = await call(second, agent2, 'GET', CMS);
  assert.equal(list.code, 200);
  const stored = new Map((list.json.items as { metadata: { name: string }; data: { name: string } }[]).map((o) => [o.metadata.name, o.data.name]));
  const missing = [...acked1, ...acked2].filter((n) => stored.get(n) !== n);
  assert.deepEqual(missing, [], `acknowledged but lost after kill -9 (${stored.size} stored)`);
  // Nothing appears that was never sent (but the control plane's own kube-root-ca.crt).
  for (const name of stored.keys()) assert.ok(burst1.includes(name) || burst2.includes(name) || name === 'kube-root-ca.crt', name);

  const svc = await call(second, agent2, 'GET', '/api/v1/namespaces/default/services/kubernetes');
  assert.equal(svc.code, 200);
  assert.equal((svc.json.spec as { clusterIP?: string }).clusterIP, '10.43.0.1');
  // The client credentials from before the crash still work.
  const again = await call(second, agent1, 'POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } });
  assert.equal(again.code, 201);
});
