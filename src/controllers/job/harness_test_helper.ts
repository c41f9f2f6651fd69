import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '../../client/client.js';
import { createEventRecorder } from '../../client/events.js';
import { SharedInformers } from '../../client/shared_informers.js';
import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { createLogger, silentLogger } from '../../lib/log.js';
import type { ControllerContext, ControllerStarter } from '../context.js';

/** Harness runs one controller against an in-memory API server on a FakeClock (tests only). */
export interface Harness {
  client: Client;
  clock: FakeClock;
  ctx: ControllerContext;
  /** flush lets pending promises and watch deliveries run. */
  flush(): Promise<void>;
  /** advance moves the fake clock in steps, flushing after each. */
  advance(ms: number, steps?: number): Promise<void>;
  /** waitFor polls cond (bounded) and throws with `what` if it never holds. */
  waitFor(cond: () => boolean | Promise<boolean>, what: string): Promise<void>;
  stop(): Promise<void>;
}

/** HARNESS_START is the fake clock's starting time (2024-01-01T00:00:00Z). */
export const HARNESS_START = Date.parse('2024-01-01T00:00:00Z');

/** startHarness starts `starter` with fresh informers, waits for its caches, and returns the harness. */
export async function startHarness(starter: ControllerStarter, start = HARNESS_START): Promise<Harness> {
  const clock = new FakeClock(start);
  const api = await fakeApi({ clock });
  const ac = new AbortController();
  const informers = new SharedInformers(api.client, silentLogger);
  // HARNESS_LOG=1 shows the controller's log lines while debugging a test.
  const logger = process.env.HARNESS_LOG ? createLogger({ level: 'debug' }) : silentLogger;
  const ctx: ControllerContext = {
    client: api.client,
    informers,
    recorder: (component) => createEventRecorder({ client: api.client, component, clock, logger: silentLogger }),
    clock,
    logger,
    signal: ac.signal,
    config: { clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.43.0.0/16', nodeMonitorGracePeriodMs: 40_000, clusterDomain: 'cluster.local' },
  };
  const run = starter(ctx);
  informers.start(ac.signal);
  await informers.waitForSync();
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    client: api.client,
    clock,
    ctx,
    flush,
    async advance(ms, steps = 1) {
      for (let i = 0; i < steps; i++) {
        clock.advance(ms / steps);
        await flush();
      }
    },
    async waitFor(cond, what) {
      for (let i = 0; i < 300; i++) {
        if (await cond()) return;
        await sleep(i < 50 ? 1 : 5);
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    async stop() {
      ac.abort();
      await run;
      api.stop();
    },
  };
}

/** listObjects lists a resource in a namespace ("" for all) sorted by name. */
export async function listObjects(client: Client, gvr: { group: string; version: string; resource: string }, namespace = 'default'): Promise<KubeObject[]> {
  const items = (await client.resource(gvr).list(namespace)).items;
  return items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** setPodStatus writes a pod's phase and Ready condition, as a kubelet would. */
export async function setPodStatus(client: Client, pod: KubeObject, phase: string, ready: boolean, at: number): Promise<KubeObject> {
  const ns = pod.metadata.namespace ?? 'default';
  const fresh = await client.resource({ group: '', version: 'v1', resource: 'pods' }).get(ns, pod.metadata.name ?? '');
  const t = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  fresh.status = {
    ...(fresh.status as object),
    phase,
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t }],
  };
  return client.resource({ group: '', version: 'v1', resource: 'pods' }).updateStatus(fresh);
}
