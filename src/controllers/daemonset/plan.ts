/** Planning a DaemonSet pass: which nodes get a pod, which pods go, and the rolling update. */
import { field, str } from '../../api/object.js';
import { scaledValue } from '../../api/resources/apps/int_or_percent.js';
import type { KubeObject } from '../../api/types.js';
import { eligibility, type Eligibility } from './eligibility.js';
import { isAvailable, REVISION_LABEL } from './pods.js';

/** NodeState is one node with the daemon pods that target it. */
export interface NodeState {
  node: KubeObject;
  fit: Eligibility;
  /** live pods (not being deleted), oldest first. */
  live: KubeObject[];
  deleting: boolean;
}

/** Plan lists the nodes to create pods on and the pods to delete. */
export interface Plan {
  create: string[];
  remove: KubeObject[];
}

/** nodeStates groups the DaemonSet's pods by target node; pods aimed at unknown nodes are returned as orphans. */
export function nodeStates(ds: KubeObject, nodes: KubeObject[], pods: KubeObject[], targetOf: (p: KubeObject) => string | undefined): { states: NodeState[]; orphans: KubeObject[] } {
  const byNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const n = targetOf(p) ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const states = nodes.map((node) => {
    const mine = byNode.get(node.metadata.name ?? '') ?? [];
    byNode.delete(node.metadata.name ?? '');
    const live = mine.filter((p) => !p.metadata.deletionTimestamp).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    return { node, fit: eligibility(ds, node), live, deleting: live.length < mine.length };
  });
  const orphans = [...byNode.values()].flat().filter((p) => !p.metadata.deletionTimestamp);
  return { states, orphans };
}

/** planNodes is manage(): a pod on each node that should run one, none (or only one) elsewhere; failed pods are replaced. */
export function planNodes(states: NodeState[], orphans: KubeObject[]): Plan {
  const plan: Plan = { create: [], remove: [...orphans] };
  for (const s of states) {
    if (s.fit.shouldRun) {
      const failed = s.live.filter((p) => str(p, 'status', 'phase') === 'Failed');
      const running = s.live.filter((p) => !failed.includes(p));
      plan.remove.push(...failed, ...running.slice(1));
      if (running.length === 0 && !s.deleting && failed.length === 0) plan.create.push(s.node.metadata.name ?? '');
    } else if (!s.fit.shouldContinueRunning) {
      plan.remove.push(...s.live);
    } else {
      plan.remove.push(...s.live.slice(1));
    }
  }
  return plan;
}

/**
 * planRollingUpdate deletes pods of an old template within maxUnavailable: unavailable old pods
 * go at once (they cost nothing), available ones only while the unavailable count stays under
 * the budget. New pods are then created by later passes.
 */
export function planRollingUpdate(ds: KubeObject, states: NodeState[], hash: string, now: number, minReady: number, plan: Plan): void {
  if ((str(ds, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') !== 'RollingUpdate') return;
  const desired = states.filter((s) => s.fit.shouldRun);
  const raw = field(ds, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable') ?? 1;
  const maxUnavailable = Math.max(1, scaledValue(raw, desired.length, true) ?? 1);
  let unavailable = desired.filter((s) => !s.live.some((p) => isAvailable(p, minReady, now))).length;
  const removing = new Set(plan.remove);
  for (const s of desired) {
    const pod = s.live[0];
    if (!pod || removing.has(pod) || pod.metadata.labels?.[REVISION_LABEL] === hash) continue;
    if (!isAvailable(pod, minReady, now)) plan.remove.push(pod);
  }
  for (const s of desired) {
    const pod = s.live[0];
    if (!pod || plan.remove.includes(pod) || pod.metadata.labels?.[REVISION_LABEL] === hash) continue;
    if (unavailable >= maxUnavailable) break;
    plan.remove.push(pod);
    unavailable++;
  }
}
