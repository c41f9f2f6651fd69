import { spawn } from 'node:child_process';
import { processAlive } from '../lib/process.js';
import { nsenterArgs } from './command.js';
import { hostKubeconfig } from './cluster.js';
import { routeServices, setHostLink } from './netns.js';
import { isNodeHost } from './topology.js';
import { killHost, startHostProcess } from './processes.js';
import { labHost, readLabState, writeLabState, type LabState } from './state.js';

/** ExecResult is a finished `lab exec` (stdout/stderr are empty when the output was inherited). */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * labExec runs a command inside a host's namespace (`nsenter --net=…`), with KUBECONFIG set to
 * the client kubeconfig on the client (the controller's own on the controller). `inherit` passes
 * the terminal through; otherwise output is captured. The command is killed after timeoutMs.
 */
export async function labExec(o: { dir: string; host: string; command: string[]; inherit?: boolean; timeoutMs?: number; input?: string }): Promise<ExecResult> {
  if (o.command.length === 0) throw new Error('lab exec needs a command: skiff lab exec HOST -- CMD [ARGS…]');
  const state = await readLabState(o.dir);
  const host = labHost(state, o.host);
  const kubeconfig = hostKubeconfig(state, host);
  const env = kubeconfig ? { ...process.env, KUBECONFIG: kubeconfig } : process.env;
  const opts = { env, stdio: o.inherit ? ('inherit' as const) : ('pipe' as const), ...(o.timeoutMs ? { timeout: o.timeoutMs, killSignal: 'SIGKILL' as const } : {}) };
  const child = spawn('nsenter', [...nsenterArgs(host.netns), ...o.command], opts);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // A command that exits without reading its input must not fail the exec with EPIPE.
  child.stdin?.on('error', () => {});
  child.stdin?.end(o.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error('nsenter: command not found: install util-linux') : e));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 137 : 1), stdout, stderr }));
  });
}

/**
 * labHalt powers a host off: SIGKILL to skiff and everything in its namespace and cgroup
 * (containerd, shims, containers), then both ends of its cable down.
 */
export async function labHalt(o: { dir: string; host: string; progress?: (line: string) => void }): Promise<LabState> {
  const state = await readLabState(o.dir);
  const host = labHost(state, o.host);
  const killed = await killHost(host, state.cgroupDirs);
  await setHostLink(state, host, 'down');
  delete host.pid;
  host.halted = true;
  await writeLabState(state);
  o.progress?.(`${host.name} halted (${killed} processes killed, link down)`);
  return state;
}

/** labStart powers a halted host back on: link up, then its skiff again with the same flags and data dir. */
export async function labStart(o: { dir: string; host: string; progress?: (line: string) => void; skiffBin?: string }): Promise<LabState> {
  const state = await readLabState(o.dir);
  const host = labHost(state, o.host);
  // Whatever survived from before (a host started twice) goes first: one skiff per host.
  await killHost(host, state.cgroupDirs);
  await setHostLink(state, host, 'up');
  if (state.serviceCIDR && isNodeHost(host)) await routeServices(host, state.serviceCIDR);
  if (host.argv.length) host.pid = await startHostProcess(host, state.cgroupDirs, o.skiffBin);
  host.halted = false;
  await writeLabState(state);
  o.progress?.(`${host.name} started${host.pid ? ` (pid ${host.pid})` : ''}`);
  return state;
}

/**
 * labRestart restarts only a host's skiff process (SIGTERM, then SIGKILL after 10 s) and starts it
 * again with the same data dir: containerd's shims and the containers keep running, as when a
 * kubelet is restarted on a real machine.
 */
export async function labRestart(o: { dir: string; host: string; progress?: (line: string) => void; skiffBin?: string }): Promise<LabState> {
  const state = await readLabState(o.dir);
  const host = labHost(state, o.host);
  const pid = host.pid;
  if (pid) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && processAlive(pid)) await new Promise((r) => setTimeout(r, 100));
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  if (host.argv.length) host.pid = await startHostProcess(host, state.cgroupDirs, o.skiffBin);
  await writeLabState(state);
  o.progress?.(`${host.name} restarted its skiff process${host.pid ? ` (pid ${host.pid})` : ''}`);
  return state;
}
