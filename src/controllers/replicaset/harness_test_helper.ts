import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, GroupVersionResource } from '../../client/client.js';
import { R } from '../../client/client.js';
import { createEventRecorder } from '../../client/events.js';
import { SharedInformers } from '../../client/shared_informers.js';
import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import type { ControllerContext, ControllerStarter } from '../context.js';

/** Harness runs controllers against an in-memory API server on a FakeClock (tests only). */
export interface Harness {
  client: Client;
  clock: FakeClock;
  ctx: ControllerContext;
  /** waitFor polls cond (at most ~3 s), advancing the fake clock by stepMs per poll; throws naming `what`. */
  waitFor(cond: () => boolean | Promise<boolean>, what: string, stepMs?: number): Promise<void>;
  /** settle lets pending watch deliveries and syncs run without moving the clock. */
  settle(ms?: number): Promise<void>;
  list(gvr: GroupVersionResource, namespace?: string): Promise<KubeObject[]>;
  stop(): Promise<void>;
}

/** HARNESS_START is the fake clock's starting time. */
export const HARNESS_START = Date.parse('2024-01-01T00:00:00Z');

/** startHarness starts the controllers with fresh shared informers and waits for their caches. */
export async function startHarness(starters: ControllerStarter[]): Promise<Harness> {
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
  const runs = starters.map((s) => s(ctx));
  informers.start(ac.signal);
  await informers.waitForSync();
  const list = async (gvr: GroupVersionResource, namespace = 'default'): Promise<KubeObject[]> => {
    const items = (await api.client.resource(gvr).list(namespace)).items;
    return items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  };
  return {
    client: api.client,
    clock,
    ctx,
    list,
    async waitFor(cond, what, stepMs = 10) {
      for (let i = 0; i < 600; i++) {
        if (await cond()) return;
        if (stepMs > 0) clock.advance(stepMs);
        await sleep(i < 100 ? 1 : 5);
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    async settle(ms = 30) {
      await sleep(ms);
    },
    async stop() {
      ac.abort();
      await Promise.all(runs);
      api.stop();
    },
  };
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** setPodStatus writes a pod's phase and Ready condition (ready since `at`), as a kubelet would. */
export async function setPodStatus(client: Client, pod: KubeObject, phase: string, ready: boolean, at: number, extra: Record<string, unknown> = {}): Promise<KubeObject> {
  const pods = client.resource(R.pods);
  const fresh = await pods.get(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
  fresh.status = { ...(fresh.status as object), phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(at) }], ...extra };
  return pods.updateStatus(fresh);
}

/** eventsFor lists the Events about one object, oldest first. */
export async function eventsFor(client: Client, name: string, namespace = 'default'): Promise<{ reason: string; message: string }[]> {
  const items = (await client.resource(R.events).list(namespace)).items;
  return items
    .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
    .map((e) => ({ reason: String(e.reason), message: String(e.message) }));
}

/** replicaSet builds a ReplicaSet manifest selecting app=<name>. */
export function replicaSet(name: string, replicas: number, extraSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...extraSpec,
    },
  };
}
