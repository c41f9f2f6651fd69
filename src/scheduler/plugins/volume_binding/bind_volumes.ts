/** The API side of volume binding (upstream's BindPodVolumes): write the decisions, then wait for the binder. */
import { objAt, str } from '../../../api/object.js';
import { isPreBoundTo, volumeFitsNode } from '../../../api/resources/core/pv_matching.js';
import { storageClassOf } from '../../../api/resources/core/core_volumes.js';
import type { KubeObject } from '../../../api/types.js';
import type { ResourceClient } from '../../../client/client.js';
import { ANN_SELECTED_NODE, isFullyBound } from './pod_claims.js';
import type { NodeVolumes } from './node_volumes.js';

/** ANN_BOUND_BY_CONTROLLER marks a claimRef written by a controller rather than by the user. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** ANN_STORAGE_PROVISIONER (and its beta spelling) name the provisioner asked for a claim's volume. */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';

/** BindLookups are the caches and clients the writes and the wait use. */
export interface BindLookups {
  claim(namespace: string, name: string): KubeObject | undefined;
  volume(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
  node(name: string): KubeObject | undefined;
  pvClient: ResourceClient;
  pvcClient: ResourceClient;
}

const claimKey = (c: KubeObject): string => `${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`;

/**
 * Written holds the objects writeBindings stored, by "pv:NAME" / "pvc:NS/NAME", with the version
 * they replaced: until the informer moves past that version, the written copy is the truth
 * (upstream keeps it in its assume cache for the same reason).
 */
export type Written = Map<string, { replaced: string; obj: KubeObject }>;

function latest(written: Written, key: string, cached: KubeObject | undefined): KubeObject | undefined {
  const w = written.get(key);
  if (w && cached && (cached.metadata.resourceVersion ?? '') === w.replaced) return w.obj;
  return cached;
}

/** claimRefTo is the reference a volume bound to the claim carries (GetBindVolumeToClaim). */
function claimRefTo(claim: KubeObject): Record<string, unknown> {
  return { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion };
}

async function bindVolume(l: BindLookups, written: Written, pv: KubeObject, claim: KubeObject): Promise<void> {
  const current = l.volume(pv.metadata.name ?? '') ?? pv;
  if (isPreBoundTo(current, claim) && str(current, 'spec', 'claimRef', 'uid')) return;
  const annotations = { ...(current.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
  const obj = await l.pvClient.update({ ...current, metadata: { ...current.metadata, annotations }, spec: { ...(objAt(current, 'spec') ?? {}), claimRef: claimRefTo(claim) } });
  written.set(`pv:${pv.metadata.name ?? ''}`, { replaced: current.metadata.resourceVersion ?? '', obj });
}

async function selectNode(l: BindLookups, written: Written, claim: KubeObject, nodeName: string): Promise<void> {
  const current = l.claim(claim.metadata.namespace ?? '', claim.metadata.name ?? '') ?? claim;
  const annotations = { ...(current.metadata.annotations ?? {}) };
  const provisioner = str(l.storageClass(storageClassOf(current)), 'provisioner');
  let changed = false;
  if (annotations[ANN_SELECTED_NODE] !== nodeName) {
    annotations[ANN_SELECTED_NODE] = nodeName;
    changed = true;
  }
  if (provisioner && annotations[ANN_STORAGE_PROVISIONER] === undefined) {
    annotations[ANN_STORAGE_PROVISIONER] = provisioner;
    annotations[ANN_BETA_STORAGE_PROVISIONER] ??= provisioner;
    changed = true;
  }
  if (!changed) return;
  const obj = await l.pvcClient.update({ ...current, metadata: { ...current.metadata, annotations } });
  written.set(`pvc:${claimKey(claim)}`, { replaced: current.metadata.resourceVersion ?? '', obj });
}

/**
 * writeBindings is bindAPIUpdate: each chosen volume gets the claimRef (the PV binder completes the
 * claim side), each claim to provision the selected-node annotation its provisioner acts on.
 */
export async function writeBindings(l: BindLookups, plan: NodeVolumes, nodeName: string): Promise<Written> {
  const written: Written = new Map();
  for (const b of plan.bindings) await bindVolume(l, written, b.pv, b.claim);
  for (const c of plan.provisions) await selectNode(l, written, c, nodeName);
  return written;
}

/**
 * checkBindings is upstream's checkBindings: true once every claim of the plan is fully bound (a
 * provisioned volume must admit the node); throws when the binding can no longer happen (a claim
 * or volume vanished, a claimRef was reset, the provisioner gave the node back).
 */
export function checkBindings(l: BindLookups, written: Written, plan: NodeVolumes, nodeName: string): boolean {
  let done = true;
  for (const b of plan.bindings) {
    const claim = l.claim(b.claim.metadata.namespace ?? '', b.claim.metadata.name ?? '');
    if (!claim) throw new Error(`failed to get claim "${claimKey(b.claim)}"`);
    const pv = latest(written, `pv:${b.pv.metadata.name ?? ''}`, l.volume(b.pv.metadata.name ?? ''));
    if (!pv) throw new Error(`failed to get pv "${b.pv.metadata.name ?? ''}"`);
    const ref = objAt(pv, 'spec', 'claimRef');
    if (!ref) throw new Error(`claimRef of pv "${pv.metadata.name ?? ''}" is reset`);
    if (str(ref, 'uid') && str(ref, 'uid') !== claim.metadata.uid) throw new Error(`pv "${pv.metadata.name ?? ''}" is bound to another claim`);
    if (!isFullyBound(claim)) done = false;
  }
  for (const c of plan.provisions) {
    const claim = latest(written, `pvc:${claimKey(c)}`, l.claim(c.metadata.namespace ?? '', c.metadata.name ?? ''));
    if (!claim) throw new Error(`failed to get claim "${claimKey(c)}"`);
    if (claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) throw new Error(`selectedNode annotation reset for PVC "${claim.metadata.name ?? ''}"`);
    if (!isFullyBound(claim)) {
      done = false;
      continue;
    }
    const pv = l.volume(str(claim, 'spec', 'volumeName') ?? '');
    if (!pv) {
      done = false;
      continue;
    }
    const node = l.node(nodeName);
    if (node && !volumeFitsNode(pv, node)) throw new Error(`pv "${pv.metadata.name ?? ''}" node affinity doesn't match node "${nodeName}"`);
  }
  return done;
}
