/** A disruption controller running against an in-memory API server on a FakeClock (tests only). */
import type { Client } from '../../client/client.js';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import type { FakeClock } from '../../lib/clock.js';
import { eventsFor as eventsAbout, startHarness as startControllers } from '../replicaset/harness_test_helper.js';
import { startDisruptionController } from './index.js';

/** Harness is a running controller, its API and clock. */
export interface Harness {
  client: Client;
  clock: FakeClock;
  /** waitFor polls cond (bounded, ~3 s), advancing the clock by stepMs per poll. */
  waitFor(cond: () => Promise<boolean>, what: string, stepMs?: number): Promise<void>;
  pdb(name: string): Promise<KubeObject>;
  stop(): Promise<void>;
}

/** startHarness starts the disruption controller (on the ReplicaSet tests' harness) and waits for its caches. */
export async function startHarness(): Promise<Harness> {
  const h = await startControllers([startDisruptionController]);
  return {
    client: h.client,
    clock: h.clock,
    // The disruption tests move the clock themselves: no step unless asked.
    waitFor: (cond, what, stepMs = 0) => h.waitFor(cond, what, stepMs),
    pdb: (name) => h.client.resource(R.poddisruptionbudgets).get('default', name),
    stop: () => h.stop(),
  };
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** workload builds an apps/v1 ReplicaSet, Deployment or StatefulSet selecting app=<name>. */
export function workload(kind: 'ReplicaSet' | 'Deployment' | 'StatefulSet', name: string, replicas: number): KubeObject {
  const spec: Record<string, unknown> = {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
  };
  if (kind === 'StatefulSet') spec.serviceName = name;
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'default' }, spec };
}

/** PodSpec says how a test pod looks: its owner, readiness and whether it is held terminating. */
export interface PodSpec {
  name: string;
  app: string;
  owner?: KubeObject;
  phase?: string;
  ready?: boolean;
  terminating?: boolean;
}

/** createPod creates a pod with the given owner and status; a terminating pod is held by a finalizer. */
export async function createPod(client: Client, p: PodSpec, now: number): Promise<KubeObject> {
  const pods = client.resource(R.pods);
  const metadata: KubeObject['metadata'] = { name: p.name, namespace: 'default', labels: { app: p.app } };
  if (p.owner) metadata.ownerReferences = [{ apiVersion: p.owner.apiVersion ?? '', kind: p.owner.kind ?? '', name: p.owner.metadata.name ?? '', uid: p.owner.metadata.uid ?? '', controller: true }];
  if (p.terminating) metadata.finalizers = ['test.skiff.io/hold'];
  const created = await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
  created.status = { phase: p.phase ?? 'Running', conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True', lastTransitionTime: rfc3339(now) }] };
  const withStatus = await pods.updateStatus(created);
  if (p.terminating) await pods.delete('default', p.name);
  return withStatus;
}

/** eventsFor lists "Reason: message" of the Events about one object in default. */
export async function eventsFor(client: Client, name: string): Promise<string[]> {
  return (await eventsAbout(client, name)).map((e) => `${e.reason}: ${e.message}`);
}
