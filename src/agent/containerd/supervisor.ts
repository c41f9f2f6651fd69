import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../../lib/log.js';
import { GrpcCriClient } from '../cri/grpc_client.js';
import { containerdPaths, hasCapSysResource, renderContainerdConfig, type ContainerdPaths } from './config.js';
import { findExecutable, overlayUsable } from './prerequisites.js';
import { hostsTomlFiles, type RegistriesConfig } from './registries.js';
import { signalProcess, waitForCri, waitForExit } from './process.js';

/** StartContainerdOptions configure the agent's containerd. */
export interface StartContainerdOptions {
  dataDir: string;
  logger: Logger;
  /** registries is the parsed /etc/skiff/registries.yaml (none when absent). */
  registries?: RegistriesConfig;
  /** sandboxImage is the pause image reference, e.g. skiff.local/pause:3.9. */
  sandboxImage: string;
  /** cniBinDir holds the CNI plugins (default /usr/lib/cni, Debian's containernetworking-plugins). */
  cniBinDir?: string;
  /** cniConfDir holds the CNI network config (default <dataDir>/agent/etc/cni/net.d). */
  cniConfDir?: string;
  /** signal stops containerd when aborted. */
  signal: AbortSignal;
  /** binary is the containerd command (default `containerd` from PATH). */
  binary?: string;
  /** wrapper prefixes the command line, e.g. ['nsenter', '--net=/run/netns/x', '--'] in tests; it must exec containerd. */
  wrapper?: string[];
  /** startTimeoutMs bounds the wait for the CRI socket to answer (default 60 s). */
  startTimeoutMs?: number;
  /** snapshotter overrides the overlayfs probe. */
  snapshotter?: 'overlayfs' | 'native';
}

/** ContainerdHandle is a running, supervised containerd. */
export interface ContainerdHandle {
  /** socket is containerd's gRPC socket (CRI and ctr). */
  socket: string;
  paths: ContainerdPaths;
  /** version is `<runtimeName>://<runtimeVersion>` as CRI reports it, e.g. containerd://1.6.20~ds1. */
  version: string;
  snapshotter: 'overlayfs' | 'native';
  /** pid is the current containerd process id (undefined while restarting). */
  pid(): number | undefined;
  /** stop terminates containerd (SIGTERM, SIGKILL after 10 s); containers and their shims keep running. */
  stop(): Promise<void>;
}

/** missingContainerdMessage is the error when containerd is not installed. */
export const missingContainerdMessage = 'containerd not found: install the Debian package containerd (apt-get install containerd runc containernetworking-plugins)';

/** writeContainerdConfig writes config.toml and the registry hosts.toml tree; it returns the paths. */
export function writeContainerdConfig(opts: StartContainerdOptions, snapshotter: 'overlayfs' | 'native'): ContainerdPaths {
  const paths = containerdPaths(opts.dataDir);
  const registries = opts.registries ?? { mirrors: {}, configs: {} };
  const cniConfDir = opts.cniConfDir ?? join(resolve(opts.dataDir), 'agent/etc/cni/net.d');
  for (const d of [paths.configDir, paths.root, paths.state, cniConfDir]) mkdirSync(d, { recursive: true, mode: 0o700 });
  rmSync(paths.hostsDir, { recursive: true, force: true });
  for (const [dir, toml] of hostsTomlFiles(registries)) {
    mkdirSync(join(paths.hostsDir, dir), { recursive: true });
    writeFileSync(join(paths.hostsDir, dir, 'hosts.toml'), toml);
  }
  mkdirSync(paths.hostsDir, { recursive: true });
  const toml = renderContainerdConfig({ paths, sandboxImage: opts.sandboxImage, cniBinDir: opts.cniBinDir ?? '/usr/lib/cni', cniConfDir, snapshotter, registries, restrictOomScoreAdj: !hasCapSysResource(readFileSync('/proc/self/status', 'utf8')) });
  writeFileSync(paths.configFile, toml, { mode: 0o600 });
  return paths;
}

/** stopStale terminates a containerd a previous agent run left behind on the same config (its pid file). */
async function stopStale(paths: ContainerdPaths, logger: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(paths.configFile)) return;
  } catch {
    return;
  }
  logger.warn('stopping the containerd a previous agent left running', { pid });
  await signalProcess(pid, 10_000);
}

const maxBackoffMs = 30_000;

/**
 * startContainerd writes containerd's config under the data dir, starts `containerd --config …`,
 * waits until its CRI socket answers Version (bounded by startTimeoutMs), restarts it with backoff
 * (1 s doubling to 30 s) when it dies, and stops it when the signal aborts. It rejects when the
 * binary is missing (naming the Debian package) or containerd does not come up.
 */
export async function startContainerd(opts: StartContainerdOptions): Promise<ContainerdHandle> {
  const logger = opts.logger;
  const binary = findExecutable(opts.binary ?? 'containerd');
  if (binary === undefined) throw new Error(missingContainerdMessage);
  const probePaths = containerdPaths(opts.dataDir);
  const snapshotter = opts.snapshotter ?? (overlayUsable(probePaths.root) ? 'overlayfs' : 'native');
  const paths = writeContainerdConfig(opts, snapshotter);
  await stopStale(paths, logger);

  let child: ChildProcess | undefined;
  let stopping = false;
  let backoffMs = 1000;
  let restartTimer: NodeJS.Timeout | undefined;
  let spawnFailed = false;
  const argv = [...(opts.wrapper ?? []), binary, '--config', paths.configFile];
  const launch = (): ChildProcess => {
    const log = openSync(paths.logFile, 'a');
    const [cmd = binary, ...args] = argv;
    // detached: containerd gets its own process group, so a terminal's Ctrl-C reaches only the agent, which stops it in order.
    const c = spawn(cmd, args, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    const startedAt = Date.now();
    if (c.pid !== undefined) writeFileSync(paths.pidFile, `${c.pid}\n`);
    c.on('error', (e) => {
      spawnFailed = true; // e.g. the wrapper command is missing: no 'exit' follows
      logger.error('containerd failed to start', { err: e.message, command: argv.join(' ') });
    });
    c.on('exit', (code, sig) => {
      if (child === c) child = undefined;
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) backoffMs = 1000;
      logger.warn('containerd exited; restarting', { code, signal: sig, inMs: backoffMs, log: paths.logFile });
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (!stopping) child = launch();
      }, backoffMs);
      backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    });
    return c;
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    const c = child;
    if (c?.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      if (!(await waitForExit(c, 10_000))) {
        c.kill('SIGKILL');
        await waitForExit(c, 5_000);
      }
    }
    rmSync(paths.pidFile, { force: true });
  };

  child = launch();
  logger.info('started containerd', { pid: child.pid, config: paths.configFile, snapshotter });
  const onAbort = (): void => void stop();
  opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const first = child;
    const v = await waitForCri(paths.socket, opts.startTimeoutMs ?? 60_000, () => spawnFailed || first.exitCode !== null || first.signalCode !== null, paths.logFile);
    const version = `${v.runtimeName}://${v.runtimeVersion}`;
    logger.info('containerd is ready', { socket: paths.socket, version });
    return { socket: paths.socket, paths, version, snapshotter, pid: () => child?.pid, stop };
  } catch (e) {
    opts.signal.removeEventListener('abort', onAbort);
    await stop();
    throw e;
  }
}

/** criClientFor returns a CRI client for a containerd socket. */
export function criClientFor(socket: string, timeoutMs?: number): GrpcCriClient {
  return new GrpcCriClient({ socket, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}
