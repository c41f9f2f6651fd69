/** A disruption controller running against an in-memory API server on a FakeClock (tests only). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '../../client/client.js';
import { R } from '../../client/client.js';
import { createEventRecorder } from '../../client/events.js';
import { SharedInformers } from '../../client/shared_informers.js';
import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import type { ControllerContext } from '../context.js';
import { startDisruptionController } from './index.js';

/** HARNESS_START is the fake clock's starting time. */
export const HARNESS_START = Date.parse('2024-01-01T00:00:00Z');

/** Harness is a running controller, its API and clock. */
export interface Harness {
  client: Client;
  clock: FakeClock;
  /** waitFor polls cond (bounded, ~3 s), advancing the clock by stepMs per poll. */
  waitFor(cond: () => Promise<boolean>, what: string, stepMs?: number): Promise<void>;
  pdb(name: string): Promise<KubeObject>;
  stop(): Promise<void>;
}

/** startHarness starts the disruption controller and waits for its caches. */
export async function startHarness(): Promise<Harness> {
  const clock = new FakeClock(HARNESS_START);
  const api = await fakeApi({ clock });
  const ac = new AbortController();
  const informers = new SharedInformers(api.client, silentLogger);
  const ctx: ControllerContext = {
    client: api.client,
    informers,
    recorder: (component) => createEventRecorder({ client: api.client, component, clock, logger: silentLogger }),
    clock,
    logger: silentLogger,
    signal: ac.signal,
    config: { clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.43.0.0/16', nodeMonitorGracePeriodMs: 40_000, clusterDomain: 'cluster.local' },
  };
  const run = startDisruptionController(ctx);
  informers.start(ac.signal);
  await informers.waitForSync();
  return {
    client: api.client,
    clock,
    async waitFor(cond, what, stepMs = 0) {
      for (let i = 0; i < 600; i++) {
        if (await cond()) return;
        if (stepMs > 0) clock.advance(stepMs);
        await sleep(i < 100 ? 1 : 5);
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    pdb: (name) => api.client.resource(R.poddisruptionbudgets).get('default', name),
    async stop() {
      ac.abort();
      await run;
      api.stop();
    },
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
  const items = (await client.resource(R.events).list('default')).items;
  return items.filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name).map((e) => `${String(e.reason)}: ${String(e.message)}`);
}
