import { storageClassOf } from '../../../api/resources/core/core_volumes.js';
import { mismatch } from '../../../api/resources/core/pv_matching.js';
import type { KubeObject } from '../../../api/types.js';
import type { Client, GroupVersionResource } from '../../../client/client.js';
import type { Informer } from '../../../client/informer.js';
import type { Clock } from '../../../lib/clock.js';
import type { NodeInfo } from '../../framework/node_info.js';
import { StateKey, type CycleState, type FilterPlugin, type PreBindPlugin, type ReservePlugin } from '../../framework/plugin.js';
import type { PodInfo } from '../../framework/pod_info.js';
import { SKIP, SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { VolumeAssumeCache } from './assume_cache.js';
import { checkBindings, writeBindings, type BindLookups } from './bind_volumes.js';
import { BindWaiter } from './bind_waiter.js';
import { checkNode, type NodeVolumes } from './node_volumes.js';
import { podClaimRefs, resolveClaims, type PodClaims } from './pod_claims.js';

/** The resources the plugin reads. */
export const PERSISTENT_VOLUMES: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumes' };
export const PERSISTENT_VOLUME_CLAIMS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const STORAGE_CLASSES: GroupVersionResource = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

/** ERR_REASON_UNBOUND_IMMEDIATE is upstream's PreFilter rejection for claims the PV binder has not bound. */
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** DEFAULT_BIND_TIMEOUT_MS is upstream's bindTimeoutSeconds (600). */
export const DEFAULT_BIND_TIMEOUT_MS = 600_000;
/** CLASS_INDEX indexes volumes by storage class, so a claim's candidates are one look-up. */
const CLASS_INDEX = 'storageClass';

/** CachedResource is the part of an informer the plugin uses. */
export type CachedResource = Pick<Informer, 'get' | 'byIndex' | 'addHandlers'>;

/** VolumeBindingOptions wire the plugin to its informers (volumes indexed by volumeIndexers) and the API. */
export interface VolumeBindingOptions {
  claims: CachedResource;
  volumes: CachedResource;
  classes: CachedResource;
  client: Client;
  clock: Clock;
  /** node returns a node object by name (from the scheduler cache). */
  node(name: string): KubeObject | undefined;
  bindTimeoutMs?: number;
}

/** volumeIndexers is the index the volume informer needs (pass it to forResource). */
export const volumeIndexers = { [CLASS_INDEX]: (pv: KubeObject): string[] => [storageClassOf(pv)] };

interface VolumeState {
  podKey: string;
  claims: PodClaims;
  /** byNode: the plan for each node that passed Filter. */
  byNode: Map<string, NodeVolumes>;
  /** candidates: per WaitForFirstConsumer claim, the volumes of its class no other pod holds. */
  candidates: Map<KubeObject, KubeObject[]>;
  reserved: NodeVolumes | undefined;
}

const stateKey = new StateKey<VolumeState>('VolumeBinding');

/**
 * VolumeBinding is kube-scheduler's VolumeBinding plugin: PreFilter resolves the pod's claims
 * (and rejects pods whose Immediate claims are unbound), Filter keeps nodes that bound volumes
 * admit and where every WaitForFirstConsumer claim finds an Available volume or a provisioner,
 * Reserve holds the chosen static volumes in an assume cache, and PreBind writes the bindings
 * (volume claimRef, or the claim's selected-node annotation) and waits until the claims are Bound.
 */
export class VolumeBinding implements FilterPlugin, ReservePlugin, PreBindPlugin {
  readonly name = 'VolumeBinding';
  readonly assumed = new VolumeAssumeCache();
  private readonly waiter: BindWaiter;
  private readonly lookups: BindLookups;
  private readonly bindTimeoutMs: number;

  constructor(private readonly opts: VolumeBindingOptions) {
    this.waiter = new BindWaiter(opts.clock);
    this.bindTimeoutMs = opts.bindTimeoutMs ?? DEFAULT_BIND_TIMEOUT_MS;
    this.lookups = {
      claim: (ns, name) => opts.claims.get(`${ns}/${name}`),
      volume: (name) => opts.volumes.get(name),
      storageClass: (name) => opts.classes.get(name),
      node: opts.node,
      pvClient: opts.client.resource(PERSISTENT_VOLUMES),
      pvcClient: opts.client.resource(PERSISTENT_VOLUME_CLAIMS),
    };
    const onVolume = (pv: KubeObject, deleted = false): void => {
      this.assumed.observe(pv, deleted);
      this.waiter.poke();
    };
    opts.volumes.addHandlers({ onAdd: (pv) => onVolume(pv), onUpdate: (_, pv) => onVolume(pv), onDelete: (pv) => onVolume(pv, true) });
    opts.claims.addHandlers({ onAdd: () => this.waiter.poke(), onUpdate: () => this.waiter.poke(), onDelete: () => this.waiter.poke() });
  }

  /** preFilter skips pods without claims and rejects pods whose claims cannot be used yet. */
  preFilter(pod: PodInfo, state: CycleState): Status {
    const refs = podClaimRefs(pod);
    if (refs.length === 0) return SKIP;
    const claims = resolveClaims(pod, refs, this.lookups);
    if (typeof claims === 'string') return unresolvable(claims);
    if (claims.immediate.length > 0) return unresolvable(ERR_REASON_UNBOUND_IMMEDIATE);
    const candidates = new Map<KubeObject, KubeObject[]>();
    for (const claim of claims.delayed) {
      // The node-independent checks once per pod, so Filter only looks at volumes that could fit.
      const pool = this.opts.volumes.byIndex(CLASS_INDEX, storageClassOf(claim)).filter((pv) => mismatch(pv, claim) === undefined && !this.assumed.takenByOther(pv, pod.key));
      candidates.set(claim, pool);
    }
    state.write(stateKey, { podKey: pod.key, claims, byNode: new Map(), candidates, reserved: undefined });
    return SUCCESS;
  }

  /** filter checks the node against the pod's bound and WaitForFirstConsumer claims. */
  filter(_pod: PodInfo, node: NodeInfo, state: CycleState): Status {
    const s = state.read(stateKey);
    if (!s) return SUCCESS;
    const nodeObject = node.node ?? { metadata: { name: node.name } };
    const r = checkNode(s.claims, nodeObject, this.lookups, (c) => s.candidates.get(c) ?? [], storageClassOf);
    if (!r.volumes) return unresolvable(...r.reasons);
    if (s.claims.delayed.length > 0) s.byNode.set(node.name, r.volumes);
    return SUCCESS;
  }

  /** reserve promises the chosen node's static volumes to the pod. */
  reserve(pod: PodInfo, nodeName: string, state: CycleState): Status {
    const s = state.read(stateKey);
    if (!s || s.claims.delayed.length === 0) return SUCCESS;
    const plan = s.byNode.get(nodeName);
    if (!plan) return SUCCESS;
    for (const b of plan.bindings) {
      const pv = this.opts.volumes.get(b.pv.metadata.name ?? '') ?? b.pv;
      if (this.assumed.takenByOther(pv, pod.key)) return unresolvable(`volume "${pv.metadata.name ?? ''}" is already assumed by another pod`);
    }
    for (const b of plan.bindings) this.assumed.assume(this.opts.volumes.get(b.pv.metadata.name ?? '') ?? b.pv, pod.key, `${pod.namespace}/${b.claim.metadata.name ?? ''}`);
    s.reserved = plan;
    return SUCCESS;
  }

  /** unreserve releases what reserve promised. */
  unreserve(pod: PodInfo, _nodeName: string, state: CycleState): void {
    const s = state.read(stateKey);
    if (!s?.reserved) return;
    this.assumed.forgetPod(pod.key);
    s.reserved = undefined;
  }

  /** preBind writes the bindings and waits (asynchronously) until every claim is Bound. */
  preBind(_pod: PodInfo, nodeName: string, state: CycleState): Status | Promise<Status> {
    const plan = state.read(stateKey)?.reserved;
    if (!plan || (plan.bindings.length === 0 && plan.provisions.length === 0)) return SUCCESS;
    return this.bindPodVolumes(plan, nodeName);
  }

  /** close fails the waits in progress (the scheduler is stopping). */
  close(): void {
    this.waiter.close();
  }

  private async bindPodVolumes(plan: NodeVolumes, nodeName: string): Promise<Status> {
    try {
      const written = await writeBindings(this.lookups, plan, nodeName);
      await this.waiter.wait(() => checkBindings(this.lookups, written, plan, nodeName), this.bindTimeoutMs);
      return SUCCESS;
    } catch (e) {
      return { code: 'Error', reasons: [`binding volumes: ${e instanceof Error ? e.message : String(e)}`] };
    }
  }
}
