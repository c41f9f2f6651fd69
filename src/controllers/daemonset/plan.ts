/** Planning a DaemonSet pass: which nodes get a pod, which pods go, and the rolling update. */
import { field, str } from '../../api/object.js';
import { scaledValue } from '../../api/resources/apps/int_or_percent.js';
import type { KubeObject } from '../../api/types.js';
import { eligibility, type Eligibility } from './eligibility.js';
import { isAvailable, isReady, REVISION_LABEL } from './pods.js';

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

/** budgets are upstream's SurgeCount / UnavailableCount: counts, or percentages of the desired nodes rounded up. */
function budgets(ds: KubeObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const rolling = (str(ds, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') === 'RollingUpdate';
  const ru = (name: string): number => (rolling ? (scaledValue(field(ds, 'spec', 'updateStrategy', 'rollingUpdate', name) ?? 0, desired, true) ?? 0) : 0);
  const maxSurge = ru('maxSurge');
  let maxUnavailable = ru('maxUnavailable');
  // An impossible configuration (both zero) behaves as maxUnavailable 1, as upstream does.
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** allowsSurge tells whether a RollingUpdate may run an old and a new pod on one node (maxSurge > 0). */
export function allowsSurge(ds: KubeObject): boolean {
  return budgets(ds, 100).maxSurge > 0;
}

/**
 * extraPods lists the running pods of a node that go: all but the oldest, or with surge all but the oldest
 * new pod plus the oldest old pod while the new one is not ready yet.
 */
function extraPods(ds: KubeObject, running: KubeObject[], hash: string): KubeObject[] {
  if (running.length <= 1) return [];
  if (!allowsSurge(ds)) return running.slice(1);
  const newest = running.find((p) => p.metadata.labels?.[REVISION_LABEL] === hash);
  const oldest = running.find((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
  const extra = running.filter((p) => p !== newest && p !== oldest);
  if (newest && oldest && (!isReady(oldest) || isReady(newest))) extra.push(oldest);
  return extra;
}

/** planNodes is manage(): a pod on each node that should run one, none (or only the ones kept) elsewhere; failed pods are replaced. */
export function planNodes(ds: KubeObject, states: NodeState[], orphans: KubeObject[], hash: string): Plan {
  const plan: Plan = { create: [], remove: [...orphans] };
  for (const s of states) {
    if (s.fit.shouldRun && s.live.length === 0 && !s.deleting) {
      plan.create.push(s.node.metadata.name ?? '');
    } else if (s.fit.shouldContinueRunning) {
      const failed = s.live.filter((p) => str(p, 'status', 'phase') === 'Failed');
      const running = s.live.filter((p) => !failed.includes(p));
      plan.remove.push(...failed, ...extraPods(ds, running, hash));
    } else {
      plan.remove.push(...s.live);
    }
  }
  return plan;
}

/** podsOnNode is findUpdatedPodsOnNode: the node's new and old pod, or ok=false when it has more than one of either. */
function podsOnNode(s: NodeState, hash: string): { newPod?: KubeObject; oldPod?: KubeObject; ok: boolean } {
  const fresh = s.live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash);
  const stale = s.live.filter((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
  if (fresh.length > 1 || stale.length > 1) return { ok: false };
  return { ...(fresh[0] ? { newPod: fresh[0] } : {}), ...(stale[0] ? { oldPod: stale[0] } : {}), ok: true };
}

/**
 * planRollingUpdate is upstream's rollingUpdate, run when manage() had nothing to do. Without
 * surge it deletes old pods within maxUnavailable (unavailable old pods at once) and lets manage()
 * recreate them; with maxSurge it first creates a new pod beside an old one (at most maxSurge at a
 * time, at once where the old pod is unavailable) and deletes the old pod once the new one is available.
 */
export function planRollingUpdate(ds: KubeObject, states: NodeState[], hash: string, now: number, minReady: number, plan: Plan): void {
  if ((str(ds, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') !== 'RollingUpdate') return;
  if (plan.create.length + plan.remove.length > 0) return;
  const { maxSurge, maxUnavailable } = budgets(ds, states.filter((s) => s.fit.shouldRun).length);
  const withPods = states.filter((s) => s.live.length > 0 || s.deleting);
  const available = (p: KubeObject): boolean => isAvailable(p, minReady, now);
  if (maxSurge === 0) {
    let unavailable = 0;
    const allowed: KubeObject[] = [];
    const candidates: KubeObject[] = [];
    for (const s of withPods) {
      const { newPod, oldPod, ok } = podsOnNode(s, hash);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) unavailable++;
      else if (newPod) unavailable += available(newPod) ? 0 : 1;
      else if (oldPod && !available(oldPod)) allowed.push(oldPod);
      else if (oldPod && unavailable < maxUnavailable) candidates.push(oldPod);
    }
    const room = Math.min(candidates.length, Math.max(0, maxUnavailable - unavailable));
    plan.remove.push(...allowed, ...candidates.slice(0, room));
    return;
  }
  let surging = 0;
  const allowedNodes: string[] = [];
  const candidateNodes: string[] = [];
  for (const s of withPods) {
    const { newPod, oldPod, ok } = podsOnNode(s, hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (!oldPod) continue;
    const node = s.node.metadata.name ?? '';
    if (!newPod) {
      if (available(oldPod)) candidateNodes.push(node);
      else if (s.fit.shouldRun) allowedNodes.push(node);
      else plan.remove.push(oldPod);
    } else if (!available(newPod)) {
      surging++;
    } else {
      plan.remove.push(oldPod);
    }
  }
  const room = Math.min(candidateNodes.length, Math.max(0, maxSurge - surging));
  plan.create.push(...allowedNodes, ...candidateNodes.slice(0, room));
}
