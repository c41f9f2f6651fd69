import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { requireTools } from './command.js';
import { LAB_API_PORT, clientKubeconfigPath, waitForFile, waitNodesReady, writeClientKubeconfig, logTail } from './cluster.js';
import { createHost, createSwitch, netnsExists, routeServices } from './netns.js';
import { labCgroupDirs, startHostProcess } from './processes.js';
import { DEFAULT_LAB_ROOT, labStatePath, writeLabState, type LabHostState, type LabState } from './state.js';
import { isNodeHost, planLab, REGISTRY_PORT } from './topology.js';
import { REGISTRY_PROGRAM, registryAvailable, registryHost, startRegistry, writeNodeRegistries } from './registry.js';
import { labDown } from './down.js';

/** LabUpOptions describe the lab `skiff lab up` builds. */
export interface LabUpOptions {
  name: string;
  workers: number;
  runtime: 'containerd' | 'fake';
  subnet: string;
  /** dir is the lab folder (default /var/lib/skiff-lab/<name>). */
  dir?: string;
  /** serverArgs and agentArgs are appended to the controller's and the workers' skiff flags. */
  serverArgs?: string[];
  agentArgs?: string[];
  /** timeoutMs bounds the whole bring-up (default 180 s). */
  timeoutMs?: number;
  progress?: (line: string) => void;
  skiffBin?: string;
  /** images are image archives copied into every node's <data-dir>/agent/images (imported at start). */
  images?: string[];
  /** registry adds the registry host (docker-registry on .6:5000) that every node mirrors docker.io to. */
  registry?: boolean;
}

/** serviceCIDR is the controller's --service-cidr (from its extra flags), or skiff's default. */
function serviceCIDR(serverArgs: string[]): string {
  for (let i = 0; i < serverArgs.length; i++) {
    const a = serverArgs[i]!;
    if (a.startsWith('--service-cidr=')) return a.slice('--service-cidr='.length);
    if (a === '--service-cidr' && serverArgs[i + 1]) return serverArgs[i + 1]!;
  }
  return '10.43.0.0/16';
}

/** requireRoot fails unless the process runs as root (namespaces, veths and cgroups need it). */
export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) throw new Error(`skiff lab ${what} must run as root (it creates network namespaces)`);
}

/** preflight checks root, tools, and that neither the lab folder nor its namespaces exist yet. */
async function preflight(o: LabUpOptions, dir: string, netns: string[]): Promise<void> {
  requireRoot('up');
  await requireTools(['ip', 'nsenter', 'kubectl']);
  if (o.registry && !registryAvailable()) throw new Error(`${REGISTRY_PROGRAM} is missing: apt-get install docker-registry, or drop --registry`);
  if (existsSync(labStatePath(dir))) throw new Error(`a lab already lives in ${dir}: run 'skiff lab down --name ${o.name}${o.dir ? ` --dir ${dir}` : ''}' first`);
  for (const n of netns) if (netnsExists(n)) throw new Error(`network namespace ${n} already exists (another lab named ${o.name}?): run 'skiff lab down --name ${o.name}' or pick another --name`);
}

/**
 * writeLabResolvConf gives a lab host a resolv.conf of its own with no nameserver: the lab has no
 * way out, so cluster DNS answers outside names with a quick SERVFAIL instead of trying the
 * machine's resolvers.
 */
async function writeLabResolvConf(host: LabHostState): Promise<string> {
  const path = join(host.dir, 'resolv.conf');
  await writeFile(path, '# skiff lab: no resolver outside the cluster\n');
  return path;
}

async function writeHostConfig(host: LabHostState, config: Record<string, string>): Promise<string> {
  const path = join(host.dir, 'config.yaml');
  await writeFile(path, Object.keys(config).length ? stringifyYaml(config) : '', { mode: 0o600 });
  return path;
}

/** registryArgs point a node at the lab registry (`--private-registry <host dir>/registries.yaml`) when the lab has one. */
async function registryArgs(state: LabState, node: LabHostState): Promise<string[]> {
  const registry = registryHost(state);
  return registry ? ['--private-registry', await writeNodeRegistries(node, registry)] : [];
}

/** startController runs `skiff server` on the controller and waits for its node token and kubeconfig. */
async function startController(state: LabState, ctrl: LabHostState, o: LabUpOptions, deadline: number): Promise<string> {
  const cfg = await writeHostConfig(ctrl, {});
  ctrl.argv = ['server', '--config', cfg, '--data-dir', ctrl.dir, '--node-ip', ctrl.ip, '--advertise-address', ctrl.ip, '--tls-san', ctrl.ip, '--write-kubeconfig', join(ctrl.dir, 'kubeconfig.yaml'), '--runtime', o.runtime, '--node-name', ctrl.name, '--resolv-conf', await writeLabResolvConf(ctrl), ...(await registryArgs(state, ctrl)), ...(o.serverArgs ?? [])];
  ctrl.pid = await startHostProcess(ctrl, state.cgroupDirs, o.skiffBin);
  await writeLabState(state);
  const tokenPath = join(ctrl.dir, 'server', 'node-token');
  await waitForFile(tokenPath, ctrl, deadline);
  await waitForFile(join(ctrl.dir, 'kubeconfig.yaml'), ctrl, deadline);
  return (await readFile(tokenPath, 'utf8')).trim();
}

/** startWorker runs `skiff agent` on a worker; server URL and token go in its config file (0600), not its argv. */
async function startWorker(state: LabState, w: LabHostState, ctrl: LabHostState, token: string, o: LabUpOptions): Promise<void> {
  const cfg = await writeHostConfig(w, { server: `https://${ctrl.ip}:${LAB_API_PORT}`, token });
  w.argv = ['agent', '--config', cfg, '--node-name', w.name, '--node-ip', w.ip, '--data-dir', w.dir, '--runtime', o.runtime, '--resolv-conf', await writeLabResolvConf(w), ...(await registryArgs(state, w)), ...(o.agentArgs ?? [])];
  w.pid = await startHostProcess(w, state.cgroupDirs, o.skiffBin);
  await writeLabState(state);
}

/**
 * labUp builds a lab (design.md §2, §7): switch and host namespaces joined by veths on a closed
 * subnet, `skiff server` on the controller, `skiff agent` on each worker, a client kubeconfig,
 * and waits (bounded) until every node is Ready. On failure it tears the lab down, keeping the
 * host folders (logs), and rethrows. Returns the saved lab state.
 */
export async function labUp(o: LabUpOptions): Promise<LabState> {
  const progress = o.progress ?? (() => {});
  const plan = planLab(o);
  const dir = o.dir ?? join(DEFAULT_LAB_ROOT, o.name);
  await preflight(o, dir, [plan.switchNetns, ...plan.hosts.map((h) => h.netns)]);
  const deadline = Date.now() + (o.timeoutMs ?? 180_000);
  const hosts: LabHostState[] = plan.hosts.map((h) => ({ ...h, dir: join(dir, h.name), argv: [], halted: false }));
  const state: LabState = { ...plan, version: 1, dir, runtime: o.runtime, cgroupDirs: labCgroupDirs(o.name), serviceCIDR: serviceCIDR(o.serverArgs ?? []), createdAt: new Date().toISOString(), hosts };
  await mkdir(dir, { recursive: true });
  for (const h of hosts) await mkdir(h.dir, { recursive: true });
  for (const h of hosts.filter(isNodeHost)) {
    if (!o.images?.length) break;
    await mkdir(join(h.dir, 'agent', 'images'), { recursive: true });
    for (const img of o.images) await copyFile(img, join(h.dir, 'agent', 'images', basename(img)));
  }
  await writeLabState(state);
  try {
    progress(`creating switch ${plan.switchNetns} and ${hosts.length} hosts on ${plan.subnet}`);
    await createSwitch(plan);
    for (const h of hosts) await createHost(plan, h);
    for (const h of hosts.filter(isNodeHost)) await routeServices(h, state.serviceCIDR!);
    const registry = registryHost(state);
    if (registry) {
      progress(`starting the image registry on ${registry.ip}:${REGISTRY_PORT} (docker.io is mirrored there; fill it with 'skiff lab push ARCHIVE')`);
      await startRegistry(state, registry, deadline);
      await writeLabState(state);
    }
    const ctrl = hosts.find((h) => h.role === 'controller')!;
    progress(`starting skiff server on controller (${ctrl.ip}), log ${join(ctrl.dir, 'skiff.log')}`);
    const token = await startController(state, ctrl, o, deadline);
    await writeClientKubeconfig(state, ctrl);
    for (const w of hosts.filter((h) => h.role === 'worker')) {
      progress(`starting skiff agent on ${w.name} (${w.ip})`);
      await startWorker(state, w, ctrl, token, o);
    }
    await waitNodesReady(state, deadline, progress);
    progress(`lab ${o.name} is up. Try:\n  skiff lab exec${o.dir ? ` --dir ${dir}` : o.name !== 'lab' ? ` --name ${o.name}` : ''} client -- kubectl --kubeconfig ${clientKubeconfigPath(state)} get nodes -o wide`);
    return state;
  } catch (e) {
    const tails = (await Promise.all(hosts.filter((h) => h.argv.length).map((h) => logTail(h, 5)))).join('\n');
    progress(`lab up failed: tearing the lab down (host folders and logs kept in ${dir})`);
    await labDown({ dir, keep: true }).catch((err: unknown) => progress(`teardown: ${(err as Error).message}`));
    const msg = (e as Error).message;
    throw new Error(`${msg}${tails && !msg.includes('skiff.log') ? `\nlast log lines:\n${tails}` : ''}`);
  }
}
