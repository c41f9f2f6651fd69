import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { eligibility } from './eligibility.js';

function node(labels: Record<string, string>, taints: unknown[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels }, spec: { taints } };
}

function ds(podSpec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: { containers: [], ...podSpec } } } };
}

const nameIn = (names: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] }] } } });
const labelExpr = (op: string, values: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: op, values }] }] } } });

test('eligibility follows selectors, affinity and taints', () => {
  const cases: { name: string; ds: KubeObject; node: KubeObject; run: boolean; keep: boolean }[] = [
    { name: 'no constraints', ds: ds({}), node: node({}), run: true, keep: true },
    { name: 'nodeSelector matches', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node({ disk: 'ssd' }), run: true, keep: true },
    { name: 'nodeSelector misses', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node({ disk: 'hdd' }), run: false, keep: false },
    { name: 'affinity In', ds: ds({ affinity: labelExpr('In', ['ssd']) }), node: node({ disk: 'ssd' }), run: true, keep: true },
    { name: 'affinity NotIn', ds: ds({ affinity: labelExpr('NotIn', ['ssd']) }), node: node({ disk: 'ssd' }), run: false, keep: false },
    { name: 'affinity Gt', ds: ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['4'] }] }] } } } }), node: node({ cpus: '8' }), run: true, keep: true },
    { name: 'matchFields name', ds: ds({ affinity: nameIn(['n1']) }), node: node({}), run: true, keep: true },
    { name: 'matchFields other name', ds: ds({ affinity: nameIn(['n2']) }), node: node({}), run: false, keep: false },
    { name: 'NoSchedule taint', ds: ds({}), node: node({}, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]), run: false, keep: true },
    { name: 'NoExecute taint', ds: ds({}), node: node({}, [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }]), run: false, keep: false },
    { name: 'tolerated taint', ds: ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] }), node: node({}, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]), run: true, keep: true },
    { name: 'wrong value', ds: ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'y' }] }), node: node({}, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]), run: false, keep: true },
    { name: 'tolerate everything', ds: ds({ tolerations: [{ operator: 'Exists' }] }), node: node({}, [{ key: 'a', effect: 'NoExecute' }]), run: true, keep: true },
    { name: 'auto: not-ready', ds: ds({}), node: node({}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), run: true, keep: true },
    { name: 'auto: unschedulable', ds: ds({}), node: node({}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), run: true, keep: true },
    { name: 'network-unavailable without hostNetwork', ds: ds({}), node: node({}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), run: false, keep: true },
    { name: 'network-unavailable with hostNetwork', ds: ds({ hostNetwork: true }), node: node({}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), run: true, keep: true },
  ];
  for (const c of cases) assert.deepEqual(eligibility(c.ds, c.node), { shouldRun: c.run, shouldContinueRunning: c.keep }, c.name);
});
