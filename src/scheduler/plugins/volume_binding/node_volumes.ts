/** Whether one node can host a pod's claims (upstream's FindPodVolumes for one node). */
import { arr, str } from '../../../api/object.js';
import { findBestMatch, volumeFitsNode } from '../../../api/resources/core/pv_matching.js';
import type { KubeObject } from '../../../api/types.js';
import { ANN_SELECTED_NODE, type PodClaims } from './pod_claims.js';

/** ERR_REASON_NODE_CONFLICT: a bound claim's volume cannot be reached from the node. */
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
/** ERR_REASON_BIND_CONFLICT: a WaitForFirstConsumer claim has neither a volume nor a provisioner for the node. */
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** ERR_REASON_PV_NOT_EXIST: a bound claim names a volume that does not exist. */
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** NO_PROVISIONER is the provisioner of classes that only bind pre-created volumes. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** StaticBinding pairs a claim with the Available volume chosen for it. */
export interface StaticBinding {
  claim: KubeObject;
  pv: KubeObject;
}

/** NodeVolumes is what placing the pod on one node takes: volumes to bind, claims to provision. */
export interface NodeVolumes {
  bindings: StaticBinding[];
  provisions: KubeObject[];
}

/** VolumeLookups are the caches the per-node check reads. */
export interface VolumeLookups {
  volume(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
}

/** NodeCheck is one node's verdict: failure reasons (empty when it fits) and, for fits, its plan. */
export interface NodeCheck {
  reasons: string[];
  volumes: NodeVolumes | undefined;
}

/** topologyAllows is MatchTopologySelectorTerms over a class's allowedTopologies (none: any node). */
function topologyAllows(cls: KubeObject, node: KubeObject): boolean {
  const terms = arr(cls, 'allowedTopologies');
  if (terms.length === 0) return true;
  const labels = node.metadata.labels ?? {};
  return terms.some((t) =>
    arr(t, 'matchLabelExpressions').every((e) => {
      const value = labels[str(e, 'key') ?? ''];
      return value !== undefined && arr(e, 'values').includes(value);
    }),
  );
}

/** canProvision: the claim's class has a real provisioner allowed on the node (checkVolumeProvisions). */
function canProvision(claim: KubeObject, node: KubeObject, lookups: VolumeLookups, className: string): boolean {
  const cls = lookups.storageClass(className);
  if (!cls) return false;
  const provisioner = str(cls, 'provisioner') ?? '';
  if (provisioner === '' || provisioner === NO_PROVISIONER) return false;
  const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  if (selected !== undefined && selected !== node.metadata.name) return false;
  return topologyAllows(cls, node);
}

function boundReasons(claims: PodClaims, node: KubeObject, lookups: VolumeLookups): string[] {
  let conflict = false;
  let missing = false;
  for (const claim of claims.bound) {
    const pv = lookups.volume(str(claim, 'spec', 'volumeName') ?? '');
    if (!pv) missing = true;
    else if (!volumeFitsNode(pv, node)) conflict = true;
  }
  const out: string[] = [];
  if (conflict) out.push(ERR_REASON_NODE_CONFLICT);
  if (missing) out.push(ERR_REASON_PV_NOT_EXIST);
  return out;
}

/**
 * checkNode decides whether the node can host the pod's claims: bound claims' volumes must admit
 * the node; each WaitForFirstConsumer claim (smallest first) takes the best matching Available
 * volume among `candidates(claim)` not yet taken by an earlier claim of the pod, or else is
 * provisioned when its class can provision on the node.
 */
export function checkNode(claims: PodClaims, node: KubeObject, lookups: VolumeLookups, candidates: (claim: KubeObject) => readonly KubeObject[], className: (claim: KubeObject) => string): NodeCheck {
  const reasons = boundReasons(claims, node, lookups);
  const plan: NodeVolumes = { bindings: [], provisions: [] };
  let unsatisfied = false;
  for (const claim of claims.delayed) {
    const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    // A claim already handed to its provisioner for another node cannot follow the pod here.
    if (selected !== undefined && selected !== node.metadata.name) {
      unsatisfied = true;
      break;
    }
    const taken = plan.bindings;
    const pool = selected === undefined ? candidates(claim) : [];
    const free = taken.length === 0 ? pool : pool.filter((pv) => !taken.some((b) => b.pv === pv));
    const pv = free.length ? findBestMatch(claim, free, false, node) : undefined;
    if (pv) plan.bindings.push({ claim, pv });
    else if (canProvision(claim, node, lookups, className(claim))) plan.provisions.push(claim);
    else {
      unsatisfied = true;
      break;
    }
  }
  // Upstream lists the node conflict first, then the binding conflict, then missing volumes.
  if (unsatisfied) reasons.splice(reasons[0] === ERR_REASON_NODE_CONFLICT ? 1 : 0, 0, ERR_REASON_BIND_CONFLICT);
  return { reasons, volumes: reasons.length ? undefined : plan };
}
