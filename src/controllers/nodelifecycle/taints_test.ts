import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { reconcileTaints } from './taints.js';
import { evictionTime, tolerates } from './tolerations.js';

const node = (conditions: Record<string, string>, taints: unknown[] = [], unschedulable = false): KubeObject => ({
  metadata: { name: 'n1' },
  spec: { taints, unschedulable },
  status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) },
});

test('reconcileTaints', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  const cases: { name: string; node: KubeObject; want: unknown }[] = [
    { name: 'healthy node untouched', node: node({ Ready: 'True' }), want: undefined },
    {
      name: 'pressure and cordon',
      node: node({ Ready: 'True', DiskPressure: 'True' }, [{ key: 'user', effect: 'NoSchedule' }], true),
      want: [{ key: 'user', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
    },
    {
      name: 'not-ready becomes unreachable; NoExecute gets timeAdded',
      node: node({ Ready: 'Unknown' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'x' }]),
      want: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-05-01T10:00:00Z' }],
    },
    {
      name: 'existing taints keep their timeAdded',
      node: node({ Ready: 'False' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'x' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]),
      want: undefined,
    },
  ];
  for (const c of cases) assert.deepEqual(reconcileTaints(c.node, now), c.want, c.name);
});

test('tolerates and evictionTime', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-05-01T10:00:00Z' };
  assert.equal(tolerates({ operator: 'Exists' }, taint), true);
  assert.equal(tolerates({ key: taint.key, operator: 'Exists', effect: 'NoSchedule' }, taint), false);
  assert.equal(tolerates({ key: taint.key, value: 'x' }, taint), false);
  assert.equal(tolerates({ key: taint.key, effect: 'NoExecute' }, taint), true);
  const pod = (tolerations: unknown[]): KubeObject => ({ metadata: {}, spec: { tolerations } });
  const since = (): number => 0;
  const t0 = Date.parse(taint.timeAdded);
  assert.equal(evictionTime(pod([]), [taint], since), -Infinity);
  assert.equal(evictionTime(pod([{ operator: 'Exists' }]), [taint], since), undefined);
  assert.equal(evictionTime(pod([{ operator: 'Exists', tolerationSeconds: 600 }, { key: taint.key, operator: 'Exists', tolerationSeconds: 300 }]), [taint], since), t0 + 300_000);
  assert.equal(evictionTime(pod([{ operator: 'Exists', tolerationSeconds: 60 }]), [{ key: 'k', effect: 'NoExecute' }], () => 5), 60_005);
});
