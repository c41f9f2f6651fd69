import type { KubeObject } from '../../api/types.js';
import { R, type Client } from '../../client/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { forEachLimit } from '../limit.js';
import { microTime } from '../time.js';

/** NODE_LEASE_NAMESPACE holds one Lease per node. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** LeaseRenewerOptions configure a LeaseRenewer. */
export interface LeaseRenewerOptions {
  client: Client;
  clock: Clock;
  logger: Logger;
  leaseDurationSeconds: number;
  /** concurrency caps renewals in flight (simulated nodes renew in batches); default 8. */
  concurrency?: number;
}

/**
 * LeaseRenewer keeps the Lease `kube-node-lease/<node>` of every node it holds fresh, renewing all
 * of them every leaseDuration/4 (the kubelet's node lease controller). It remembers the last Lease
 * it wrote so a renewal is one update; it creates a missing Lease with an owner reference to the
 * Node and re-reads the Lease after a conflict.
 */
export class LeaseRenewer {
  private readonly nodes = new Map<string, { uid: string; lease?: KubeObject }>();
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: LeaseRenewerOptions) {}

  /** add starts renewing the node's lease (at the next round; renewNow for at once). */
  add(nodeName: string, nodeUID: string): void {
    this.nodes.set(nodeName, { uid: nodeUID });
  }

  /** intervalMs is the renewal period: a quarter of the lease duration. */
  get intervalMs(): number {
    return (this.opts.leaseDurationSeconds * 1000) / 4;
  }

  /** start renews every node now and then every interval, until stop(). */
  start(): void {
    const round = async (): Promise<void> => {
      if (this.stopped) return;
      await this.renewAll();
      if (!this.stopped) this.cancel = this.opts.clock.setTimeout(() => void round(), this.intervalMs);
    };
    void round();
  }

  /** stop ends renewals; the leases are left to expire, as with a node that powered off. */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  /** renewAll renews every held lease once (bounded concurrency). */
  async renewAll(): Promise<void> {
    await forEachLimit([...this.nodes.keys()], this.opts.concurrency ?? 8, (name) => this.renew(name));
  }

  /** renew renews one node's lease; failures are logged and retried at the next round. */
  async renew(nodeName: string, retried = false): Promise<void> {
    const entry = this.nodes.get(nodeName);
    if (!entry) return;
    const leases = this.opts.client.resource(R.leases);
    const renewTime = microTime(this.opts.clock.now());
    try {
      if (entry.lease) {
        const next = structuredClone(entry.lease);
        next['spec'] = { ...(next['spec'] as object), holderIdentity: nodeName, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime };
        entry.lease = await leases.update(next);
        return;
      }
      entry.lease = await leases.create(NODE_LEASE_NAMESPACE, this.newLease(nodeName, entry.uid, renewTime));
    } catch (e) {
      const code = (e as { code?: number }).code;
      delete entry.lease;
      if (code === 409 && !retried) {
        // Exists already (agent restart) or went stale: take the current one and renew it right away.
        const current = await leases.get(NODE_LEASE_NAMESPACE, nodeName).catch(() => undefined);
        if (current) {
          entry.lease = current;
          return this.renew(nodeName, true);
        }
      }
      this.opts.logger.warn('failed to renew node lease', { node: nodeName, err: (e as Error).message });
    }
  }

  private newLease(nodeName: string, uid: string, renewTime: string): KubeObject {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid }] },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime },
    };
  }
}
