// Node stats benchmark (`npm run bench -- node-stats`): one fake-runtime node with 100 pods (two
// containers each) in a child process serving the kubelet API. Reference: the same node left idle.
// Measured: scraped like metrics-server and Prometheus (/metrics/resource, /stats/summary and
// /metrics/cadvisor each round) with a fresh collection every round, at 100x the real 15 s
// interval; the agent's CPU % and RSS from /proc, and CPU per round, which gives the cost at the
// real interval. Then /metrics/resource alone, for 100 and for 10,000 pods (a sim-nodes process's worth).
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, get } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCA, issueClientCert } from '../src/pki/index.js';
import { selfSignedKubeletCert } from '../src/agent/server/tls.js';
import { realClock } from '../src/lib/clock.js';

type Print = (line: string) => void;

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'node_stats_agent.js');
const RUN_MS = Number(process.env.SKIFF_BENCH_STATS_MS ?? 20_000);
const REAL_INTERVAL_MS = 15_000;
const SPEEDUP = 100;
const ROUND_MS = REAL_INTERVAL_MS / SPEEDUP;
const PATHS = ['/metrics/resource', '/stats/summary', '/metrics/cadvisor'];
const TICK_S = 0.01; // USER_HZ 100

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_S;
}

function rssMB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface RunResult {
  cpuPercent: number;
  rssMB: number;
  rounds: number;
  bytesPerRound: number;
  cpuMsPerRound: number;
}

async function startChild(jobFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CHILD, jobFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`stats agent exited with ${code}: ${err.slice(-500)}`)));
  });
  return { child, port };
}

function fetchText(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let n = 0;
      res.on('data', (d: Buffer) => (n += d.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${path}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

async function run(dir: string, pki: { certPem: string; keyPem: string; clientCaPem: string; client: { certPem: string; keyPem: string } }, pods: number, scrape: boolean, paths = PATHS): Promise<RunResult> {
  const jobFile = join(dir, `job-${pods}-${scrape}.json`);
  writeFileSync(jobFile, JSON.stringify({ pods, cacheMs: ROUND_MS - 10, certPem: pki.certPem, keyPem: pki.keyPem, clientCaPem: pki.clientCaPem }));
  const { child, port } = await startChild(jobFile);
  const pid = child.pid ?? 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false, cert: pki.client.certPem, key: pki.client.keyPem });
  try {
    // Settle after start-up (pods started, JIT warm) before measuring.
    if (scrape) for (const p of paths) await fetchText(agent, port, p);
    await new Promise((r) => setTimeout(r, 2000));
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    let rounds = 0;
    let bytes = 0;
    let peakRss = rssMB(pid);
    while (performance.now() - t0 < RUN_MS) {
      const roundStart = performance.now();
      if (scrape) {
        for (const p of paths) bytes += await fetchText(agent, port, p);
        rounds++;
      }
      peakRss = Math.max(peakRss, rssMB(pid));
      await new Promise((r) => setTimeout(r, Math.max(0, ROUND_MS - (performance.now() - roundStart))));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    return { cpuPercent: (cpu / seconds) * 100, rssMB: peakRss, rounds, bytesPerRound: rounds ? bytes / rounds : 0, cpuMsPerRound: rounds ? (cpu * 1000) / rounds : 0 };
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}

/** benchNodeStats prints the agent's CPU and RSS with and without stats collection and scraping. */
export async function benchNodeStats(print: Print): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-stats-'));
  try {
    const ca = await createCA('bench-client', realClock);
    const client = await issueClientCert(ca, { commonName: 'system:kube-apiserver-kubelet-client' });
    const serving = await selfSignedKubeletCert('bench-node', '127.0.0.1');
    const pki = { certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: ca.certPem, client };
    print(`node-stats: fake-runtime node, 100 pods x 2 containers, ${RUN_MS / 1000} s per run, scraping the 3 stats endpoints every ${ROUND_MS} ms (${SPEEDUP}x the real ${REAL_INTERVAL_MS / 1000} s)`);
    const ref = await run(dir, pki, 100, false);
    print(`  reference (idle, no scrapes):  agent CPU ${ref.cpuPercent.toFixed(2)} %, peak RSS ${ref.rssMB.toFixed(0)} MB`);
    const hot = await run(dir, pki, 100, true);
    const real = hot.cpuMsPerRound / REAL_INTERVAL_MS * 100;
    print(`  scraped (${hot.rounds} rounds, ${(hot.bytesPerRound / 1024).toFixed(0)} KiB a round): agent CPU ${hot.cpuPercent.toFixed(2)} %, peak RSS ${hot.rssMB.toFixed(0)} MB (+${(hot.rssMB - ref.rssMB).toFixed(0)} MB over the reference)`);
    print(`  per round ${hot.cpuMsPerRound.toFixed(2)} ms CPU (collection + 3 renders + TLS) -> at the real 15 s interval ${(real + ref.cpuPercent).toFixed(3)} % CPU, +${real.toFixed(3)} % over idle`);
    const resourceOnly = await run(dir, pki, 100, true, ['/metrics/resource']);
    print(`  /metrics/resource only (metrics-server's scrape): ${resourceOnly.cpuMsPerRound.toFixed(2)} ms CPU a round, ${(resourceOnly.bytesPerRound / 1024).toFixed(0)} KiB -> +${(resourceOnly.cpuMsPerRound / REAL_INTERVAL_MS * 100).toFixed(3)} % CPU at 15 s; peak RSS ${resourceOnly.rssMB.toFixed(0)} MB`);
    const bigRef = await run(dir, pki, 10_000, false);
    const big = await run(dir, pki, 10_000, true, ['/metrics/resource']);
    print(`  10,000 pods, /metrics/resource only (${big.rounds} rounds, ${(big.bytesPerRound / 2 ** 20).toFixed(1)} MiB a round): ${big.cpuMsPerRound.toFixed(0)} ms CPU a round -> ${(big.cpuMsPerRound / REAL_INTERVAL_MS * 100).toFixed(2)} % CPU at 15 s; peak RSS ${big.rssMB.toFixed(0)} MB (idle reference with the same pods ${bigRef.rssMB.toFixed(0)} MB, ${bigRef.cpuPercent.toFixed(2)} % CPU)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchNodeStats((l) => console.log(l));
