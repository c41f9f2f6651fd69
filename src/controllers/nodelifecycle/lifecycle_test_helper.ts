import type { Client } from '../../client/client.js';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import type { FakeClock } from '../../lib/clock.js';
import { rfc3339 } from './conditions.js';

/** FakeKubelet posts a node's heartbeats (Lease renewals and Ready status) on a fake clock (tests only). */
export class FakeKubelet {
  constructor(
    private readonly client: Client,
    private readonly clock: FakeClock,
    readonly node: string,
  ) {}

  /** register creates the node (Ready True) and its Lease. */
  async register(spec: Record<string, unknown> = {}): Promise<void> {
    await this.client.resource(R.nodes).create('', { metadata: { name: this.node }, spec });
    await this.postStatus('True');
    const renewTime = new Date(this.clock.now()).toISOString().replace('Z', '000Z');
    await this.client.resource(R.leases).create('kube-node-lease', { metadata: { name: this.node }, spec: { holderIdentity: this.node, leaseDurationSeconds: 40, renewTime } });
  }

  /** renewLease moves the Lease's renewTime to now. */
  async renewLease(): Promise<void> {
    const lease = await this.client.resource(R.leases).get('kube-node-lease', this.node);
    const renewTime = new Date(this.clock.now()).toISOString().replace('Z', '000Z');
    await this.client.resource(R.leases).update({ ...lease, spec: { ...(lease.spec as object), renewTime } });
  }

  /** postStatus writes the node's conditions with a fresh heartbeat. */
  async postStatus(ready: 'True' | 'False'): Promise<void> {
    const node = await this.client.resource(R.nodes).get('', this.node);
    const now = rfc3339(this.clock.now());
    const cond = (type: string, status: string): Record<string, string> => ({ type, status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now });
    const conditions = [cond('MemoryPressure', 'False'), cond('DiskPressure', 'False'), cond('PIDPressure', 'False'), cond('Ready', ready)];
    await this.client.resource(R.nodes).updateStatus({ ...node, status: { ...((node.status as object | undefined) ?? {}), conditions } });
  }

  /** runPod creates a pod bound to this node and marks it Running and Ready. */
  async runPod(name: string, tolerations: unknown[] = []): Promise<KubeObject> {
    const pod = await this.client.resource(R.pods).create('default', { metadata: { name }, spec: { nodeName: this.node, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
    return this.client.resource(R.pods).updateStatus({ ...pod, status: { phase: 'Running', podIP: '10.42.0.9', conditions: [{ type: 'Ready', status: 'True' }] } });
  }
}

/** settle lets in-flight informer events and syncs finish (real time; the fake clock does not move). */
export const settle = (ms = 60): Promise<void> => new Promise((r) => setTimeout(r, ms));
