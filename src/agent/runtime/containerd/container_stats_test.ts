import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../lib/clock.js';
import type { ContainerStatus, CriClient, CriContainerStats } from '../../cri/types.js';
import { collectContainerdStats } from './container_stats.js';
import type { PodWorker } from './pod_worker.js';

const T = 1_700_000_000_000;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

function status(id: string, state: ContainerStatus['state']): ContainerStatus {
  return { id, metadata: { name: 'app' }, state, createdAt: ns(T - 2000), startedAt: ns(T - 1000), finishedAt: 0n, exitCode: 0, image: { image: 'docker.io/library/busybox:1.35' }, imageRef: 'sha256:x', reason: '', message: '', labels: {}, annotations: {}, mounts: [], logPath: '' };
}

function worker(uid: string, records: { name: string; init: boolean; current: ContainerStatus }[]): PodWorker {
  return {
    sandboxId: `sb-${uid}`,
    stopping: false,
    pod: { metadata: { namespace: 'default', name: `p-${uid}`, uid }, spec: { containers: [{ name: 'app', resources: { limits: { memory: '64Mi' } } }] }, status: { startTime: '2023-11-14T22:13:00Z' } },
    records: new Map(records.map((r) => [r.name, { ...r, restartCount: 0, started: true, ready: true, probes: [] }])),
  } as unknown as PodWorker;
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

test('containerd stats: CRI container figures, memory gaps and pods from cgroup v1 files', async () => {
  const root = mkdtempSync(join(tmpdir(), 'skiff-cg-'));
  try {
    const pod = '/skiff/n1/podu1';
    write(join(root, 'cpuacct', pod, 'cpuacct.usage'), '3000000000\n');
    write(join(root, 'memory', pod, 'memory.usage_in_bytes'), '50000000\n');
    write(join(root, 'memory', pod, 'memory.stat'), 'cache 1\ntotal_inactive_file 10000000\ntotal_rss 30000000\ntotal_pgfault 7\ntotal_pgmajfault 1\n');
    write(join(root, 'memory', pod, 'c1', 'memory.usage_in_bytes'), '40000000\n');
    write(join(root, 'memory', pod, 'c1', 'memory.stat'), 'total_inactive_file 5000000\ntotal_rss 25000000\n');
    const listed: CriContainerStats[] = [{ id: 'c1', name: 'app', labels: {}, cpu: { timestamp: ns(T), usageCoreNanoSeconds: 2e9, usageNanoCores: 1e8 }, memory: { timestamp: ns(T), workingSetBytes: 33e6, availableBytes: undefined, usageBytes: undefined, rssBytes: undefined, pageFaults: undefined, majorPageFaults: undefined } }];
    const cri = { listContainerStats: () => Promise.resolve(listed) } as unknown as CriClient;
    const workers = [
      worker('u1', [{ name: 'app', init: false, current: status('c1', 'CONTAINER_RUNNING') }]),
      worker('u2', [{ name: 'app', init: false, current: status('c2', 'CONTAINER_EXITED') }]),
    ];
    const s = await collectContainerdStats({ cri, clock: new FakeClock(T), cgroupRoot: root, cgroupParent: '/skiff/n1', workers: () => workers });
    assert.equal(s.pods.length, 1, 'a pod without running containers is left out');
    const [p] = s.pods;
    assert.deepEqual(p?.containers, [{
      name: 'app', startTime: T - 1000, id: 'c1', image: 'docker.io/library/busybox:1.35', memoryLimitBytes: 64 * 2 ** 20,
      cpu: { time: T, usageCoreNanoSeconds: 2e9, usageNanoCores: 1e8 },
      memory: { time: T, workingSetBytes: 33e6, usageBytes: 40e6, rssBytes: 25e6 },
    }]);
    assert.deepEqual(p?.cpu, { time: T, usageCoreNanoSeconds: 3e9 });
    assert.deepEqual(p?.memory, { time: T, usageBytes: 50e6, workingSetBytes: 40e6, rssBytes: 30e6, pageFaults: 7, majorPageFaults: 1 });
    assert.equal(p?.startTime, Date.parse('2023-11-14T22:13:00Z'));
    assert.equal(p?.cgroup, pod);
    assert.ok((s.node.memory?.workingSetBytes ?? 0) > 0, 'the machine is the node');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('containerd stats: a pod whose cgroup cannot be read is the sum of its containers (cgroup v2 root)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'skiff-cg-'));
  try {
    write(join(root, 'cgroup.controllers'), 'cpu memory\n');
    const listed: CriContainerStats[] = [{ id: 'c1', name: 'app', labels: {}, cpu: { timestamp: ns(T), usageCoreNanoSeconds: 2e9, usageNanoCores: undefined }, memory: { timestamp: ns(T), workingSetBytes: 1e6, availableBytes: undefined, usageBytes: 2e6, rssBytes: 5e5, pageFaults: undefined, majorPageFaults: undefined } }];
    const cri = { listContainerStats: () => Promise.resolve(listed) } as unknown as CriClient;
    const workers = [worker('u1', [{ name: 'app', init: false, current: status('c1', 'CONTAINER_RUNNING') }])];
    const s = await collectContainerdStats({ cri, clock: new FakeClock(T), cgroupRoot: root, cgroupParent: '/skiff/n1', workers: () => workers });
    assert.deepEqual(s.pods[0]?.cpu, { time: T, usageCoreNanoSeconds: 2e9 });
    assert.deepEqual(s.pods[0]?.memory, { time: T, workingSetBytes: 1e6, usageBytes: 2e6, rssBytes: 5e5 });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
