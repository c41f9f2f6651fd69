// Programmatic `skiff lab` for end-to-end suites: a real multi-node cluster in network namespaces
// made by the test (design.md §7), with kubectl run from the lab's client host.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './harness.js';
import { clientKubeconfigPath, labDown, labExec, labHalt, labPush, labRestart, labStart, labUp, type ExecResult, type LabState } from '../src/lab/index.js';

/** LabOptions choose the lab a suite needs; everything has a test-friendly default. */
export interface LabOptions {
  workers?: number;
  runtime?: 'fake' | 'containerd';
  /** dir is the lab folder (default: a fresh temp dir, removed by down()). */
  dir?: string;
  /** name prefixes the namespaces (default: unique per test process). */
  name?: string;
  subnet?: string;
  serverArgs?: string[];
  agentArgs?: string[];
  timeoutMs?: number;
  /** verbose prints lab progress on stderr. */
  verbose?: boolean;
  /** images are archives imported on every node at start. */
  images?: string[];
  /** registry adds the lab registry host that every node mirrors docker.io to. */
  registry?: boolean;
}

/** RunOptions bound one command (default 30 s) and may feed it stdin. */
export interface RunOptions {
  timeoutMs?: number;
  input?: string;
}

/** TestLab is a running lab and the verbs a suite drives it with. */
export interface TestLab {
  name: string;
  dir: string;
  state: LabState;
  /** kubeconfig is the client kubeconfig (server https://<controller>:6443). */
  kubeconfig: string;
  /** kubectl runs the real kubectl inside the client namespace with the client kubeconfig. */
  kubectl(args: string[], opts?: RunOptions): Promise<ExecResult>;
  /** kubectlOk is kubectl that throws (with stderr) unless it exits 0; resolves with stdout. */
  kubectlOk(args: string[], opts?: RunOptions): Promise<string>;
  /** exec runs a command inside a host's namespace. */
  exec(host: string, cmd: string[], opts?: RunOptions): Promise<ExecResult>;
  /** halt powers a host off (SIGKILL its processes, link down); start powers it on again. */
  halt(host: string): Promise<void>;
  start(host: string): Promise<void>;
  /** restart restarts only the host's skiff process (containers keep running). */
  restart(host: string): Promise<void>;
  /** push copies image archives into the lab registry (lab started with `registry`). */
  push(archives: string[]): Promise<string[]>;
  /** down removes the lab (processes, namespaces, mounts, cgroups, folders); safe to call twice. */
  down(): Promise<void>;
  /** logs returns a host's skiff.log. */
  logs(host: string): string;
}

/** labSkipReason says why lab suites cannot run here (not root, a tool missing), or undefined. */
export function labSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'lab tests need root (network namespaces)';
  for (const tool of ['ip', 'nsenter', 'kubectl']) {
    try {
      execFileSync('sh', ['-c', 'command -v "$0"', tool], { stdio: 'ignore' });
    } catch {
      return `lab tests need ${tool} on PATH`;
    }
  }
  return undefined;
}

/** startLab brings a lab up (bounded by timeoutMs, default 120 s) and returns its handle. */
export async function startLab(opts: LabOptions = {}): Promise<TestLab> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'skiff-lab-'));
  const name = opts.name ?? `sl${process.pid}`;
  const progress = opts.verbose ? (l: string) => process.stderr.write(`[lab ${name}] ${l}\n`) : () => {};
  let state: LabState;
  try {
    state = await labUp({ name, workers: opts.workers ?? 2, runtime: opts.runtime ?? 'fake', subnet: opts.subnet ?? '10.77.0.0/24', dir, serverArgs: opts.serverArgs ?? [], agentArgs: opts.agentArgs ?? [], timeoutMs: opts.timeoutMs ?? 120_000, progress, images: opts.images ?? [], registry: opts.registry ?? false });
  } catch (e) {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const exec = (host: string, cmd: string[], o: RunOptions = {}): Promise<ExecResult> => labExec({ dir, host, command: cmd, timeoutMs: o.timeoutMs ?? 30_000, ...(o.input !== undefined ? { input: o.input } : {}) });
  const kubeconfig = clientKubeconfigPath(state);
  const kubectl = (args: string[], o: RunOptions = {}): Promise<ExecResult> => exec('client', ['kubectl', '--kubeconfig', kubeconfig, ...args], o);
  let isDown = false;
  return {
    name,
    dir,
    state,
    kubeconfig,
    kubectl,
    async kubectlOk(args, o) {
      const r = await kubectl(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
      return r.stdout;
    },
    exec,
    halt: async (host) => void (await labHalt({ dir, host, progress })),
    start: async (host) => void (await labStart({ dir, host, progress })),
    restart: async (host) => void (await labRestart({ dir, host, progress })),
    push: (archives) => labPush({ dir, archives, progress }),
    async down() {
      if (isDown) return;
      isDown = true;
      if (existsSync(join(dir, 'lab.json'))) await labDown({ dir, progress });
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
    logs: (host) => readFileSync(join(dir, host, 'skiff.log'), 'utf8'),
  };
}

/** containerdSkipReason says why containerd lab suites cannot run here, or undefined. */
export function containerdSkipReason(): string | undefined {
  return labSkipReason() ?? (existsSync('/usr/bin/containerd') ? undefined : 'containerd is not installed (apt-get install containerd runc containernetworking-plugins)');
}

/**
 * startImageLab builds the example images (scripts/build-images.mjs) into a temp folder and starts
 * a containerd lab importing the named archives; `pushed` archives go into the lab registry instead
 * (which `pushed` turns on), so nodes pull them. The lab's down() removes the folder too.
 */
export async function startImageLab(archives: string[], opts: LabOptions = {}, pushed: string[] = []): Promise<TestLab> {
  const imagesDir = mkdtempSync(join(tmpdir(), 'skiff-images-'));
  try {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-images.mjs'), imagesDir], { stdio: 'ignore', timeout: 60_000 });
    const lab = await startLab({ runtime: 'containerd', workers: 2, timeoutMs: 150_000, ...(pushed.length ? { registry: true } : {}), ...opts, images: archives.map((a) => join(imagesDir, a)) });
    const down = lab.down.bind(lab);
    lab.down = async () => {
      await down();
      rmSync(imagesDir, { recursive: true, force: true });
    };
    try {
      if (pushed.length) await lab.push(pushed.map((a) => join(imagesDir, a)));
    } catch (e) {
      await lab.down();
      throw e;
    }
    return lab;
  } catch (e) {
    rmSync(imagesDir, { recursive: true, force: true });
    throw e;
  }
}
