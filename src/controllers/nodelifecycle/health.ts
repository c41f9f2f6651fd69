interface Probe {
  lease: string | undefined;
  heartbeat: string | undefined;
  /** at: our own clock's time when the node last showed a sign of life. */
  at: number;
}

/**
 * NodeHealth tracks when each node last showed a sign of life: a new Lease renewTime or a new
 * Ready lastHeartbeatTime. Like upstream it times these by the controller's own clock when it sees
 * them change (not by the timestamps' values), so clock skew between nodes does not matter; a node
 * seen for the first time gets a full grace period.
 */
export class NodeHealth {
  private probes = new Map<string, Probe>();

  /** observe records the node's current heartbeats and returns how long (ms) it has been silent. */
  observe(node: string, lease: string | undefined, heartbeat: string | undefined, now: number): number {
    const p = this.probes.get(node);
    if (!p || p.lease !== lease || p.heartbeat !== heartbeat) {
      const fresh = !p || (lease !== undefined && p.lease !== lease) || (heartbeat !== undefined && p.heartbeat !== heartbeat);
      this.probes.set(node, { lease, heartbeat, at: fresh ? now : p.at });
      return fresh ? 0 : now - p.at;
    }
    return now - p.at;
  }

  /** forget drops a deleted node. */
  forget(node: string): void {
    this.probes.delete(node);
  }
}
