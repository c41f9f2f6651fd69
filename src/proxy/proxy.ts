import type { KubeObject } from '../api/types.js';
import type { EventHandlers } from '../client/informer.js';
import { buildTable, proxyPorts, renderChanges, renderFull, type ProxyTable, type ServicePort } from './ruleset.js';
import { udpConntrackFlushes } from './conntrack.js';

/** Same shape as src/network/command.ts CommandRunner. */
export type CommandRunner = (cmd: string, args: string[], input?: string) => Promise<{ stdout: string; stderr: string }>;

/** Minimal informer surface the proxy needs (satisfied by client/informer Informer). */
export interface ProxySource {
  list(namespace?: string): KubeObject[];
  addHandlers(h: EventHandlers): void;
  /** waitForSync resolves once the first full list is in; nothing is applied before (an empty cache would wipe the rules). */
  waitForSync?(): Promise<void>;
}

/** Options for {@link startServiceProxy}. */
export interface ServiceProxyOptions {
  services: ProxySource;
  endpointSlices: ProxySource;
  nodeName: string;
  nodeIPs: string[];
  clusterCIDR: string;
  run: CommandRunner;
  /** applyChange sends an incremental transaction (one command per line), e.g. to an {@link NftSession}; default `nft -f -` through run. */
  applyChange?: (text: string) => Promise<void>;
  onError?: (err: unknown) => void;
}

/** Handle returned by {@link startServiceProxy}. */
export interface ServiceProxy {
  stop(): void;
  /** Resolves once the current/next resync has finished. */
  flush(): Promise<void>;
  lastApplied(): string | undefined;
}

/** FULL_SYNC_MS is how often the whole table is rewritten even without a failure (as kube-proxy does), undoing edits made behind the proxy's back. */
const FULL_SYNC_MS = 60 * 60_000;

/**
 * Watch Services/EndpointSlices and apply the nft ruleset, coalescing bursts (one `nft -f` in
 * flight): the whole table on the first sync, after a failure and hourly, otherwise only what
 * changed; after each change, clear the UDP flows it left stale (`conntrack -D`).
 */
export function startServiceProxy(opts: ServiceProxyOptions): ServiceProxy {
  let stopped = false;
  let dirty = false;
  let running: Promise<void> | undefined;
  let last: string | undefined;
  let applied: ServicePort[] | undefined;
  let table: ProxyTable | undefined;
  let fullAt = 0;
  let conntrackMissing = false;
  const clearStaleFlows = async (before: ServicePort[], after: ServicePort[]): Promise<void> => {
    for (const args of conntrackMissing ? [] : udpConntrackFlushes(before, after)) {
      try {
        await opts.run('conntrack', args);
      } catch (err) {
        const e = err as Error & { stderr?: string };
        if (`${e.message} ${e.stderr ?? ''}`.includes('0 flow entries')) continue; // nothing to clear
        conntrackMissing = e.name === 'ToolMissingError';
        opts.onError?.(conntrackMissing ? new Error('conntrack is missing (apt-get install conntrack): stale UDP flows stay until they time out') : err);
        if (conntrackMissing) return;
      }
    }
  };
  const apply = async (): Promise<void> => {
    while (dirty && !stopped) {
      dirty = false;
      const input = { services: opts.services.list(), endpointSlices: opts.endpointSlices.list(), nodeName: opts.nodeName, nodeIPs: opts.nodeIPs, clusterCIDR: opts.clusterCIDR };
      const ports = proxyPorts(input);
      const next = buildTable(ports, input);
      const full = table === undefined || Date.now() - fullAt > FULL_SYNC_MS;
      const text = full ? renderFull(next) : renderChanges(table!, next);
      if (!text) continue;
      try {
        if (full || !opts.applyChange) await opts.run('nft', ['-f', '-'], text);
        else await opts.applyChange(text);
        last = text;
        table = next;
        if (full) fullAt = Date.now();
      } catch (err) {
        opts.onError?.(err);
        // A change that did not apply leaves the table unknown: rewrite it whole (once; a failing full sync waits for the next event).
        if (!full) dirty = true;
        table = undefined;
        continue;
      }
      // The first sync has nothing to compare with (and may hold thousands of Services).
      if (applied) await clearStaleFlows(applied, ports);
      applied = ports;
    }
  };
  const schedule = (): void => {
    dirty = true;
    if (running === undefined) running = apply().finally(() => { running = undefined; });
  };
  const h: EventHandlers = { onAdd: schedule, onUpdate: schedule, onDelete: schedule };
  void Promise.all([opts.services.waitForSync?.(), opts.endpointSlices.waitForSync?.()]).then(() => {
    if (stopped) return;
    opts.services.addHandlers(h);
    opts.endpointSlices.addHandlers(h);
    schedule();
  });
  return { stop: () => { stopped = true; }, flush: async () => { while (running !== undefined) await running; }, lastApplied: () => last };
}

/** Delete the skiff-proxy table (ignores a missing table). */
export async function cleanupServiceProxy(run: CommandRunner): Promise<void> {
  await run('nft', ['-f', '-'], 'table ip skiff-proxy {}\ndelete table ip skiff-proxy\n');
}
