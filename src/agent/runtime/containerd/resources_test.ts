import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { containerResources, milliCPUToQuota, milliCPUToShares, oomScoreAdj } from './resources.js';

const GiB = 2 ** 30;
const podWith = (...resources: Record<string, unknown>[]): KubeObject => ({ metadata: {}, spec: { containers: resources.map((r, i) => ({ name: `c${i}`, resources: r })) } });

test('cpu shares and quota mapping', () => {
  const shares: [number, number][] = [[0, 2], [1, 2], [100, 102], [250, 256], [1000, 1024], [2500, 2560], [1_000_000, 262_144]];
  for (const [milli, want] of shares) assert.equal(milliCPUToShares(milli), want, `shares(${milli})`);
  const quotas: [number, number][] = [[0, 0], [5, 1000], [100, 10_000], [500, 50_000], [2000, 200_000]];
  for (const [milli, want] of quotas) assert.equal(milliCPUToQuota(milli), want, `quota(${milli})`);
});

test('containerResources by QoS class', () => {
  const cases: { name: string; res: Record<string, unknown>; want: Record<string, number> }[] = [
    { name: 'BestEffort', res: {}, want: { cpuShares: 2, oomScoreAdj: 1000 } },
    { name: 'Guaranteed', res: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }, want: { cpuShares: 512, oomScoreAdj: -997, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: GiB } },
    { name: 'Burstable, request only', res: { requests: { cpu: '100m', memory: '2Gi' } }, want: { cpuShares: 102, oomScoreAdj: 750 } },
    { name: 'Burstable, limit only cpu', res: { limits: { cpu: '2' } }, want: { cpuShares: 2048, oomScoreAdj: 999, cpuPeriod: 100_000, cpuQuota: 200_000 } },
    { name: 'Burstable, huge request', res: { requests: { memory: '16Gi' }, limits: { memory: '16Gi' } }, want: { cpuShares: 2, oomScoreAdj: 3, memoryLimitInBytes: 16 * GiB } },
  ];
  for (const c of cases) {
    const pod = podWith(c.res);
    const spec = pod['spec'] as { containers: unknown[] };
    assert.deepEqual(containerResources(pod, spec.containers[0], 8 * GiB), c.want, c.name);
  }
  assert.equal(oomScoreAdj('Burstable', 0, 8 * GiB), 999);
});
