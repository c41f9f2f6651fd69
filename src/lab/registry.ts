// The lab's image registry host: Debian's docker-registry on <subnet>.6:5000 (plain HTTP, inside
// the lab only), mirrored for docker.io by every node, filled with `skiff lab push` (skopeo).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { nsenterArgs, requireTools, run } from './command.js';
import { assertAlive, logTail } from './cluster.js';
import { startHostProcess } from './processes.js';
import { readLabState, type LabHostState, type LabState } from './state.js';
import { REGISTRY_PORT } from './topology.js';

/** REGISTRY_PROGRAM is Debian's docker-registry (package docker-registry). */
export const REGISTRY_PROGRAM = '/usr/bin/docker-registry';

/** registryAvailable is true when this machine can run the lab registry. */
export function registryAvailable(): boolean {
  return existsSync(REGISTRY_PROGRAM);
}

/** registryHost is the lab's registry host, or undefined when the lab has none. */
export function registryHost(state: LabState): LabHostState | undefined {
  return state.hosts.find((h) => h.role === 'registry');
}

/** registryAddress is `<ip>:5000`. */
export function registryAddress(host: LabHostState): string {
  return `${host.ip}:${REGISTRY_PORT}`;
}

/** nodeRegistriesYaml is a node's registries.yaml: docker.io pulls go to the lab registry first. */
export function nodeRegistriesYaml(registry: LabHostState): string {
  return stringifyYaml({ mirrors: { 'docker.io': { endpoint: [`http://${registryAddress(registry)}`] } } });
}

/** writeNodeRegistries writes `<host dir>/registries.yaml` for a node and returns its path (for --private-registry). */
export async function writeNodeRegistries(node: LabHostState, registry: LabHostState): Promise<string> {
  const path = join(node.dir, 'registries.yaml');
  await writeFile(path, nodeRegistriesYaml(registry));
  return path;
}

/** probeScript exits 0 once something accepts TCP connections on argv[1]:argv[2] (run inside the namespace). */
const probeScript = "const s=require('net').connect(+process.argv[2],process.argv[1]);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),1000)";

/**
 * startRegistry runs `docker-registry serve` on the registry host, its blobs in `<host dir>/data`,
 * and waits (until deadline) until it accepts connections.
 */
export async function startRegistry(state: LabState, host: LabHostState, deadline: number): Promise<void> {
  const config = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(host.dir, 'data') }, delete: { enabled: true } },
    http: { addr: registryAddress(host) },
  };
  const path = join(host.dir, 'config.yml');
  await writeFile(path, stringifyYaml(config));
  host.program = REGISTRY_PROGRAM;
  host.argv = ['serve', path];
  host.pid = await startHostProcess(host, state.cgroupDirs);
  for (;;) {
    await assertAlive(host);
    const up = await run('nsenter', [...nsenterArgs(host.netns), process.execPath, '-e', probeScript, host.ip, String(REGISTRY_PORT)]).then(() => true, () => false);
    if (up) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the registry on ${registryAddress(host)}; the end of its log:\n${await logTail(host)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** archiveImageName reads the image name an OCI archive carries (`io.containerd.image.name` in index.json). */
export async function archiveImageName(archive: string): Promise<string> {
  const index = await run('tar', ['-xOf', archive, 'index.json']).catch((e: Error) => {
    throw new Error(`${archive} is not an OCI image archive (no index.json): ${e.message}`);
  });
  const manifests = (JSON.parse(index) as { manifests?: { annotations?: Record<string, string> }[] }).manifests ?? [];
  for (const m of manifests) {
    const name = m.annotations?.['io.containerd.image.name'] ?? m.annotations?.['org.opencontainers.image.ref.name'];
    if (name && name.includes(':')) return name;
  }
  throw new Error(`${archive} names no image (io.containerd.image.name): push it with --as NAME:TAG`);
}

/** registryPath turns `docker.io/library/mongo:latest` into the registry's `library/mongo:latest`. */
export function registryPath(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const rest = first.includes('.') || first.includes(':') || first === 'localhost' ? image.slice(slash + 1) : image;
  return rest.includes('/') ? rest : `library/${rest}`;
}

/**
 * labPush copies OCI image archives into the lab registry with skopeo, run inside the registry's
 * namespace (the registry is reachable only there and from the other lab hosts). Each image keeps
 * its own name unless `as` renames it; returns the references pushed.
 */
export async function labPush(o: { dir: string; archives: string[]; as?: string; progress?: (line: string) => void }): Promise<string[]> {
  const state = await readLabState(o.dir);
  const host = registryHost(state);
  if (!host) throw new Error(`lab ${state.name} has no registry host: recreate it with 'skiff lab up --registry' (needs apt-get install docker-registry)`);
  if (host.halted) throw new Error(`the registry host is halted: run 'skiff lab start ${host.name}'`);
  await requireTools(['skopeo']);
  if (o.as && o.archives.length !== 1) throw new Error('--as renames one archive only');
  const pushed: string[] = [];
  for (const archive of o.archives) {
    const path = registryPath(o.as ?? (await archiveImageName(archive)));
    const ref = `${registryAddress(host)}/${path}`;
    o.progress?.(`pushing ${archive} to ${ref}`);
    await run('nsenter', [...nsenterArgs(host.netns), 'skopeo', 'copy', '--quiet', '--dest-tls-verify=false', `oci-archive:${archive}`, `docker://${ref}`], { timeoutMs: 120_000 });
    pushed.push(ref);
  }
  return pushed;
}
