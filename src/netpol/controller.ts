/** The network-policy controller of one node: informers in, `ip skiff-netpol` out. */
import type { KubeObject } from '../api/types.js';
import { field } from '../api/object.js';
import type { EventHandlers } from '../client/informer.js';
import { netpolModel } from './model.js';
import { podInfo } from './parse.js';
import { buildTable, NETPOL_TABLE, renderChanges, renderFull, type NetpolTable } from './ruleset.js';

/** CommandRunner runs a program (same shape as the proxy's and the pod network's). */
export type CommandRunner = (cmd: string, args: string[], input?: string) => Promise<{ stdout: string; stderr: string }>;

/** NetpolSource is the informer surface the controller needs (satisfied by client/informer Informer). */
export interface NetpolSource {
  list(namespace?: string): KubeObject[];
  addHandlers(h: EventHandlers): void;
  /** waitForSync resolves once the first full list is in; nothing is applied before (an empty cache would open every pod). */
  waitForSync?(): Promise<void>;
}

/** NetworkPolicyOptions configure {@link startNetworkPolicy}. */
export interface NetworkPolicyOptions {
  policies: NetpolSource;
  pods: NetpolSource;
  namespaces: NetpolSource;
  nodeName: string;
  run: CommandRunner;
  /** applyChange sends an incremental transaction (one command per line), e.g. to an NftSession; default `nft -f -` through run. */
  applyChange?: (text: string) => Promise<void>;
  onError?: (err: unknown) => void;
}

/** NetworkPolicyController is the handle {@link startNetworkPolicy} returns. */
export interface NetworkPolicyController {
  stop(): void;
  /** flush resolves once the current or next sync has finished. */
  flush(): Promise<void>;
  /** lastApplied is the text of the last transaction that applied. */
  lastApplied(): string | undefined;
}

/** FULL_SYNC_MS is how often the whole table is rewritten without a failure, undoing edits made behind the controller's back. */
const FULL_SYNC_MS = 60 * 60_000;

/**
 * startNetworkPolicy watches NetworkPolicies, Pods and Namespaces and keeps table
 * `ip skiff-netpol` in step, coalescing bursts (one transaction in flight): the whole table once
 * the informers synced, after a failed change and hourly; otherwise only the sets, elements and
 * chains that changed.
 */
export function startNetworkPolicy(opts: NetworkPolicyOptions): NetworkPolicyController {
  let stopped = false;
  let dirty = false;
  let running: Promise<void> | undefined;
  let last: string | undefined;
  let table: NetpolTable | undefined;
  let fullAt = 0;
  const apply = async (): Promise<void> => {
    while (dirty && !stopped) {
      dirty = false;
      const next = buildTable(netpolModel({ policies: opts.policies.list(), pods: opts.pods.list(), namespaces: opts.namespaces.list(), nodeName: opts.nodeName }));
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
      }
    }
  };
  const schedule = (): void => {
    dirty = true;
    if (running === undefined) running = apply().finally(() => { running = undefined; });
  };
  const sources = [opts.policies, opts.pods, opts.namespaces];
  void Promise.all(sources.map((s) => s.waitForSync?.())).then(() => {
    if (stopped) return;
    opts.policies.addHandlers({ onAdd: schedule, onUpdate: (a, b) => JSON.stringify(field(a, 'spec')) === JSON.stringify(field(b, 'spec')) || schedule(), onDelete: schedule });
    opts.pods.addHandlers({ onAdd: schedule, onUpdate: (a, b) => samePolicyView(a, b) || schedule(), onDelete: schedule });
    opts.namespaces.addHandlers({ onAdd: schedule, onUpdate: (a, b) => JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {}) || schedule(), onDelete: schedule });
    schedule();
  });
  return { stop: () => { stopped = true; }, flush: async () => { while (running !== undefined) await running; }, lastApplied: () => last };
}

/** samePolicyView is true when a pod update changes nothing policies look at (most status updates). */
function samePolicyView(a: KubeObject, b: KubeObject): boolean {
  const x = podInfo(a);
  const y = podInfo(b);
  if (!x || !y) return x === y;
  return x.node === y.node && x.ips.join() === y.ips.join() && JSON.stringify(x.labels) === JSON.stringify(y.labels) && JSON.stringify([...x.ports]) === JSON.stringify([...y.ports]);
}

/** cleanupNetworkPolicy deletes table `ip skiff-netpol` (a missing table is fine): every pod is open again. */
export async function cleanupNetworkPolicy(run: CommandRunner): Promise<void> {
  await run('nft', ['-f', '-'], `table ip ${NETPOL_TABLE} {}\ndelete table ip ${NETPOL_TABLE}\n`);
}
