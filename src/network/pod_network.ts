import { writeFile } from 'node:fs/promises';
import { R, type Client } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { str } from '../api/object.js';
import { realClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { runCommand, type CommandRunner } from './command.js';
import { BRIDGE_NAME, findCniBinDir, writeCniConfig } from './cni_config.js';
import { applyRuleset, deleteTable, podNetworkRuleset } from './nft_ruleset.js';
import { deleteRoute, desiredRoutes, listPodRoutes, syncPodRoutes } from './routes.js';

/** PodNetworkOptions configure one node's pod network. */
export interface PodNetworkOptions {
  /** client reads Nodes (an informer) to route to the other nodes' pod CIDRs. */
  client: Client;
  nodeName: string;
  nodeIP: string;
  /** podCIDR of this node; when absent it is taken from this Node's spec.podCIDR once assigned. */
  podCIDR?: string;
  clusterCIDR: string;
  dataDir: string;
  logger: Logger;
  /** signal stops the route controller (aborting removes nothing). */
  signal: AbortSignal;
  run?: CommandRunner;
  clock?: Clock;
  /** procRoot lets tests redirect /proc writes (ip_forward); default /proc. */
  procRoot?: string;
  /** cniBinDirs are searched for the plugins; default /usr/lib/cni, /opt/cni/bin. */
  cniBinDirs?: string[];
}

/** PodNetwork is a running pod network: the conflist (once the pod CIDR is known) and the route controller. */
export interface PodNetwork {
  /** podCIDR is this node's pod CIDR once known. */
  podCIDR(): string | undefined;
  /** cniBinDir is the folder holding the CNI plugins (for containerd's config). */
  readonly cniBinDir: string;
  /** synced resolves after the first successful route sync. */
  synced(): Promise<void>;
  /** stop ends the route controller; routes, rules and the bridge stay (pods keep their network). */
  stop(): void;
}

const RETRY_MS = 5_000;

/**
 * startPodNetwork prepares this node's pod network: checks ip, nft and the CNI plugins (errors
 * name the Debian package), turns on IPv4 forwarding (per network namespace), loads table
 * `ip skiff-net`, writes the CNI conflist when the pod CIDR is known, and keeps routes to every
 * other node's pod CIDR in step with the Nodes until the signal aborts.
 */
export async function startPodNetwork(opts: PodNetworkOptions): Promise<PodNetwork> {
  const run = opts.run ?? runCommand;
  const clock = opts.clock ?? realClock;
  const log = opts.logger.child('network');
  await run('ip', ['-V']);
  await run('nft', ['--version']);
  const cniBinDir = await findCniBinDir(opts.cniBinDirs);
  await writeFile(`${opts.procRoot ?? '/proc'}/sys/net/ipv4/ip_forward`, '1\n');
  await applyRuleset(run, podNetworkRuleset(opts.clusterCIDR));
  let podCIDR = opts.podCIDR || undefined;
  if (podCIDR) await writeCniConfig({ podCIDR, dataDir: opts.dataDir });
  log.info('pod network ready', { podCIDR: podCIDR ?? '(waiting for the node\'s spec.podCIDR)', clusterCIDR: opts.clusterCIDR, cniBinDir });

  const stopCtl = new AbortController();
  const signal = AbortSignal.any([opts.signal, stopCtl.signal]);
  const nodes = new Informer({ client: opts.client.resource(R.nodes), logger: log });
  let markSynced: () => void = () => {};
  const firstSync = new Promise<void>((r) => (markSynced = r));
  let running = false;
  let dirty = false;
  let cancelRetry: (() => void) | undefined;

  const syncOnce = async (): Promise<void> => {
    const self = nodes.get(opts.nodeName);
    const assigned = self ? str(self, 'spec', 'podCIDR') : undefined;
    if (!podCIDR && assigned) {
      podCIDR = assigned;
      await writeCniConfig({ podCIDR, dataDir: opts.dataDir });
      log.info('CNI config written', { podCIDR });
    }
    const res = await syncPodRoutes(run, desiredRoutes(nodes.list(), opts), log);
    if (res.failed.length) throw new Error(`routes not set: ${res.failed.join(', ')}`);
    markSynced();
  };
  const kick = (): void => {
    dirty = true;
    if (running || signal.aborted) return;
    running = true;
    void (async () => {
      while (dirty && !signal.aborted) {
        dirty = false;
        try {
          await syncOnce();
        } catch (e) {
          log.warn('pod network sync failed; retrying', { err: (e as Error).message, retryMs: RETRY_MS });
          cancelRetry?.();
          cancelRetry = clock.setTimeout(kick, RETRY_MS);
        }
      }
      running = false;
    })();
  };
  nodes.addHandlers({ onAdd: kick, onUpdate: kick, onDelete: kick });
  void nodes.run(signal);
  void nodes.waitForSync().then(kick);
  signal.addEventListener('abort', () => cancelRetry?.(), { once: true });
  return {
    podCIDR: () => podCIDR,
    cniBinDir,
    synced: () => firstSync,
    stop: () => stopCtl.abort(),
  };
}

/** stopPodNetwork stops the route controller and removes nothing, so a restarted agent keeps pods connected. */
export function stopPodNetwork(net: PodNetwork): void {
  net.stop();
}

/**
 * cleanupPodNetwork removes what the pod network put into the current network namespace: table
 * `ip skiff-net`, the routes tagged with skiff's route protocol, and the skiff0 bridge. For
 * `skiff lab down` and tests; each step tolerates things already gone.
 */
export async function cleanupPodNetwork(opts: { run?: CommandRunner } = {}): Promise<void> {
  const run = opts.run ?? runCommand;
  await deleteTable(run);
  for (const r of await listPodRoutes(run)) await deleteRoute(run, r.cidr);
  try {
    await run('ip', ['link', 'del', BRIDGE_NAME]);
  } catch (e) {
    if (!/Cannot find device|does not exist/i.test((e as Error).message)) throw e;
  }
}
