import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { FakeClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/log.js';
import { ContainerdRuntime, type ContainerdRuntimeOptions } from './containerd_runtime.js';
import { FakeCri } from './fake_cri_test_helper.js';

/** Harness wires a ContainerdRuntime to a FakeCri, a FakeClock and a temp data dir for tests. */
export interface Harness {
  clock: FakeClock;
  cri: FakeCri;
  rt: ContainerdRuntime;
  dataDir: string;
  events: string[];
  changes: string[];
  /** settle lets queued passes, probes and file writes finish. */
  settle(): Promise<void>;
  /** step advances the clock by ms in 1 s steps, settling after each. */
  step(ms: number): Promise<void>;
  cleanup(): void;
}

/** harness builds a Harness; extra options override the defaults. */
export function harness(extra: Partial<ContainerdRuntimeOptions> = {}): Harness {
  const clock = new FakeClock();
  const cri = new FakeCri(clock);
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-ctrd-'));
  const events: string[] = [];
  const changes: string[] = [];
  const rt = new ContainerdRuntime({
    cri,
    clock,
    logger: silentLogger,
    nodeName: 'node1',
    dataDir,
    nodeIP: '192.168.1.10',
    clusterDNS: ['10.43.0.10'],
    cgroupRoot: join(dataDir, 'cgroup'),
    resolvConf: join(dataDir, 'resolv.conf'),
    allocatable: { cpu: 4, memory: 8 * 2 ** 30 },
    recorder: { event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`) },
    ...extra,
  });
  rt.setChangeHandler((p) => changes.push(`${p.namespace}/${p.name}`));
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setImmediate(r));
      await rt.whenIdle();
    }
  };
  return {
    clock,
    cri,
    rt,
    dataDir,
    events,
    changes,
    settle,
    async step(ms) {
      for (let t = 0; t < ms; t += 1000) {
        clock.advance(Math.min(1000, ms - t));
        await settle();
      }
    },
    cleanup() {
      rt.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** testPod returns a pod with the given spec fields (containers default to one busybox "main"). */
export function testPod(spec: Record<string, unknown> = {}, name = 'web'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: name } },
    spec: { nodeName: 'node1', containers: [{ name: 'main', image: 'busybox:1.36' }], ...spec },
  };
}
