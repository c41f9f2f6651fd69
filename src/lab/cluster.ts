import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { processAlive } from '../lib/process.js';
import { nsenterArgs, run } from './command.js';
import type { LabHostState, LabState } from './state.js';
import { isNodeHost } from './topology.js';

/** LAB_API_PORT is the server's HTTPS port inside the lab. */
export const LAB_API_PORT = 6443;

/** clientKubeconfigPath is `<labdir>/client/kubeconfig.yaml`. */
export function clientKubeconfigPath(state: LabState): string {
  return join(state.dir, 'client', 'kubeconfig.yaml');
}

/** hostKubeconfig is the kubeconfig `lab exec` sets for a host: the client's, the controller's own, or none. */
export function hostKubeconfig(state: LabState, host: LabHostState): string | undefined {
  if (host.role === 'client') return clientKubeconfigPath(state);
  if (host.role === 'controller') return join(host.dir, 'kubeconfig.yaml');
  return undefined;
}

/** writeClientKubeconfig copies the server's admin kubeconfig with the server URL set to the controller's lab address. */
export async function writeClientKubeconfig(state: LabState, controller: LabHostState): Promise<string> {
  const doc = parseYaml(await readFile(join(controller.dir, 'kubeconfig.yaml'), 'utf8')) as { clusters?: { cluster?: { server?: string } }[] };
  for (const c of doc.clusters ?? []) if (c.cluster) c.cluster.server = `https://${controller.ip}:${LAB_API_PORT}`;
  const path = clientKubeconfigPath(state);
  await writeFile(path, stringifyYaml(doc), { mode: 0o600 });
  return path;
}

/** logTail returns the last lines of a host's skiff.log, for error messages. */
export async function logTail(host: LabHostState, lines = 15): Promise<string> {
  const text = await readFile(join(host.dir, 'skiff.log'), 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).map((l) => `  ${host.name}| ${l}`).join('\n');
}

/** assertAlive fails, with the end of its log, when the host's process (skiff or its program) has exited. */
export async function assertAlive(host: LabHostState): Promise<void> {
  if (!processAlive(host.pid)) throw new Error(`${host.program ? basename(host.program) : 'skiff'} on ${host.name} exited; the end of ${join(host.dir, 'skiff.log')}:\n${await logTail(host)}`);
}

/** waitForFile waits (bounded by deadline) for a file the host's skiff writes, failing early if skiff dies. */
export async function waitForFile(path: string, host: LabHostState, deadline: number): Promise<void> {
  while (!existsSync(path)) {
    await assertAlive(host);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path} from ${host.name}; the end of its log:\n${await logTail(host)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** readyNodes asks the API, with kubectl from the client namespace, which nodes are Ready. */
export async function readyNodes(state: LabState): Promise<string[]> {
  const client = state.hosts.find((h) => h.role === 'client');
  if (!client) throw new Error('lab has no client host');
  const out = await run('nsenter', [...nsenterArgs(client.netns), 'kubectl', '--kubeconfig', clientKubeconfigPath(state), 'get', 'nodes', '-o', 'json', '--request-timeout=5s'], { timeoutMs: 10_000 });
  const list = JSON.parse(out) as { items?: { metadata?: { name?: string }; status?: { conditions?: { type?: string; status?: string }[] } }[] };
  return (list.items ?? [])
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata?.name ?? '')
    .sort();
}

/** waitNodesReady polls (every second, until deadline) until every node host is Ready, printing progress as nodes come up. */
export async function waitNodesReady(state: LabState, deadline: number, progress: (line: string) => void): Promise<void> {
  const nodes = state.hosts.filter(isNodeHost);
  let last = '';
  let lastErr = '';
  for (;;) {
    for (const h of nodes) await assertAlive(h);
    const ready = await readyNodes(state).catch((e: unknown) => ((lastErr = (e as Error).message), [] as string[]));
    const line = `nodes Ready ${nodes.filter((h) => ready.includes(h.name)).length}/${nodes.length}${ready.length ? `: ${ready.join(', ')}` : ''}`;
    if (line !== last) progress((last = line));
    if (nodes.every((h) => ready.includes(h.name))) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for nodes to be Ready (${line})${lastErr ? `; last kubectl error: ${lastErr}` : ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
