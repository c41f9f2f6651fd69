import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import type { Client } from '../../client/client.js';
import { SharedInformers } from '../../client/shared_informers.js';
import type { EventRecorder } from '../../client/events.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { createLogger, silentLogger } from '../../lib/log.js';
import type { ControllerConfig, ControllerContext, ControllerStarter } from '../context.js';

/** RecordedEvent is one event a controller under test recorded. */
export interface RecordedEvent {
  obj: KubeObject;
  type: string;
  reason: string;
  message: string;
}

/** Harness is a running controller over an in-memory API server (tests only). */
export interface Harness {
  client: Client;
  ctx: ControllerContext;
  events: RecordedEvent[];
  /** waitFor polls cond (real time, bounded) and fails with `what` after timeoutMs (3000). */
  waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** TEST_CONFIG is a ControllerConfig with skiff's defaults. */
export const TEST_CONFIG: ControllerConfig = {
  clusterCIDR: '10.42.0.0/16',
  nodeCIDRMaskSize: 24,
  serviceCIDR: '10.43.0.0/16',
  nodeMonitorGracePeriodMs: 40_000,
  clusterDomain: 'cluster.local',
};

/**
 * startHarness starts the given controllers against a fresh in-memory API (the API server and the
 * controllers share `clock`), after `seed` wrote the initial objects.
 */
export async function startHarness(starters: ControllerStarter[], opts: { clock?: Clock; config?: Partial<ControllerConfig>; seed?: (c: Client) => Promise<void> } = {}): Promise<Harness> {
  const clock = opts.clock ?? realClock;
  const api = await fakeApi({ clock });
  if (opts.seed) await opts.seed(api.client);
  const logger = process.env.SKIFF_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger;
  const ac = new AbortController();
  const events: RecordedEvent[] = [];
  const recorder = (): EventRecorder => ({ event: (obj, type, reason, message) => events.push({ obj, type, reason, message }) });
  const informers = new SharedInformers(api.client, logger);
  const ctx: ControllerContext = { client: api.client, informers, recorder, clock, logger, signal: ac.signal, config: { ...TEST_CONFIG, ...opts.config } };
  const runs = starters.map((s) => s(ctx));
  informers.start(ac.signal);
  await informers.waitForSync();
  return {
    client: api.client,
    ctx,
    events,
    async waitFor(cond, what, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      ac.abort();
      await Promise.all(runs);
      api.stop();
    },
  };
}

/** exists tells whether a get succeeds (false on NotFound). */
export async function exists(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return false;
    throw e;
  }
}
