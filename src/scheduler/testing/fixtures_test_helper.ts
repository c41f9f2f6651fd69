// Object builders for the scheduler's tests (imported by *_test.ts files only).
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { NodeInfo } from '../framework/node_info.js';
import { newPodInfo, type PodInfo } from '../framework/pod_info.js';

/** NodeOpts shape a test node. */
export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | 'none';
  images?: { names: string[]; sizeBytes: number }[];
}

/** makeNode builds a Ready node with 4 cpu, 8Gi, 110 pods unless told otherwise. */
export function makeNode(name: string, o: NodeOpts = {}): KubeObject {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  const conditions = o.ready === 'none' ? [] : [{ type: 'Ready', status: o.ready ?? 'True' }];
  const spec: Record<string, unknown> = {};
  if (o.taints) spec.taints = o.taints;
  if (o.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec,
    status: { allocatable, capacity: allocatable, conditions, images: o.images ?? [] },
  };
}

/** PodOpts shape a test pod. */
export interface PodOpts {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, string>[];
  affinity?: unknown;
  hostPorts?: number[];
  ownerUID?: string;
  priority?: number;
  image?: string;
  initContainers?: unknown[];
  overhead?: Record<string, string>;
  extraContainers?: unknown[];
  preemptionPolicy?: string;
}

/** makePod builds a one-container pod. */
export function makePod(name: string, o: PodOpts = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const container: Record<string, unknown> = { name: 'c', image: o.image ?? 'nginx', resources: { requests } };
  if (o.hostPorts) container.ports = o.hostPorts.map((p) => ({ containerPort: p, hostPort: p, protocol: 'TCP' }));
  const spec: Record<string, unknown> = { containers: [container, ...(o.extraContainers ?? [])] };
  if (o.nodeName) spec.nodeName = o.nodeName;
  if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
  if (o.tolerations) spec.tolerations = o.tolerations;
  if (o.affinity) spec.affinity = o.affinity;
  if (o.priority !== undefined) spec.priority = o.priority;
  if (o.initContainers) spec.initContainers = o.initContainers;
  if (o.overhead) spec.overhead = o.overhead;
  if (o.preemptionPolicy) spec.preemptionPolicy = o.preemptionPolicy;
  const metadata: KubeObject['metadata'] = { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, labels: o.labels ?? {} };
  if (o.ownerUID) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.ownerUID, controller: true }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Pending' } };
}

/** podInfo is newPodInfo(makePod(...)). */
export function podInfo(name: string, o: PodOpts = {}): PodInfo {
  return newPodInfo(makePod(name, o));
}

/** nodeInfo builds a NodeInfo for a node with the given pods placed on it. */
export function nodeInfo(node: KubeObject, pods: KubeObject[] = []): NodeInfo {
  const n = new NodeInfo(node.metadata.name ?? '');
  n.setNode(node);
  for (const p of pods) n.addPod(newPodInfo(p));
  return n;
}

/** waitFor polls cond every 5 ms, at most ms milliseconds. */
export async function waitFor(cond: () => Promise<boolean>, what: string, ms = 3000): Promise<void> {
  for (let waited = 0; waited <= ms; waited += 5) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`timed out waiting for ${what}`);
}
