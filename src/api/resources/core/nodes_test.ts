import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../../types.js';
import { nodes } from './nodes.js';

const now = Date.parse('2024-01-03T00:00:00Z');
function node(labels: Record<string, string>, spec: JsonObject, status: JsonObject): KubeObject {
  return { metadata: { name: 'n1', labels, creationTimestamp: '2024-01-01T00:00:00Z' }, spec, status };
}

describe('node printer', () => {
  const cases: { name: string; n: KubeObject; status: string; roles: string }[] = [
    { name: 'ready', n: node({}, {}, { conditions: [{ type: 'Ready', status: 'True' }] }), status: 'Ready', roles: '<none>' },
    { name: 'not ready', n: node({}, {}, { conditions: [{ type: 'Ready', status: 'False' }] }), status: 'NotReady', roles: '<none>' },
    { name: 'unknown condition', n: node({}, {}, { conditions: [{ type: 'Ready', status: 'Unknown' }] }), status: 'NotReady', roles: '<none>' },
    { name: 'no condition', n: node({}, {}, {}), status: 'Unknown', roles: '<none>' },
    {
      name: 'cordoned control plane',
      n: node({ 'node-role.kubernetes.io/master': 'true', 'node-role.kubernetes.io/control-plane': 'true' }, { unschedulable: true }, { conditions: [{ type: 'Ready', status: 'True' }] }),
      status: 'Ready,SchedulingDisabled',
      roles: 'control-plane,master',
    },
    { name: 'legacy role label', n: node({ 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': 'x' }, {}, {}), status: 'Unknown', roles: 'worker' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const row = nodes.row(c.n, now);
      assert.equal(row[1], c.status);
      assert.equal(row[2], c.roles);
    });
  }
  it('full row', () => {
    const n = node({}, {}, {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }],
      nodeInfo: { kubeletVersion: 'v1.32.0+skiff', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.6.20' },
    });
    assert.deepEqual(nodes.row(n, now), ['n1', 'Ready', '<none>', '2d', 'v1.32.0+skiff', '10.0.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.6.20']);
    assert.equal(nodes.columns.length, 10);
  });
});

describe('node validation', () => {
  const v = (spec: JsonObject, oldSpec?: JsonObject) => {
    const n: KubeObject = { metadata: { name: 'n1' }, spec };
    nodes.defaults(n);
    let old: KubeObject | undefined;
    if (oldSpec) {
      old = { metadata: { name: 'n1' }, spec: oldSpec };
      nodes.defaults(old);
    }
    return nodes.validate(n, old).map((e) => `${e.type} ${e.field}`);
  };
  const cases: { name: string; spec: JsonObject; old?: JsonObject; want: string[] }[] = [
    { name: 'valid', spec: { podCIDR: '10.42.0.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }] }, want: [] },
    { name: 'bad cidr', spec: { podCIDRs: ['10.42.0.0/33'] }, want: ['FieldValueInvalid spec.podCIDRs[0]'] },
    { name: 'two v4 cidrs', spec: { podCIDRs: ['10.42.0.0/24', '10.43.0.0/24'] }, want: ['FieldValueInvalid spec.podCIDRs'] },
    { name: 'dual stack', spec: { podCIDRs: ['10.42.0.0/24', 'fd00::/64'] }, want: [] },
    {
      name: 'bad taints',
      spec: { taints: [{ key: 'a b', effect: 'NoSchedule' }, { key: 'k', effect: '' }, { key: 'k', effect: 'Sometimes' }, { key: 'x', effect: 'NoExecute' }, { key: 'x', value: 'y', effect: 'NoExecute' }] },
      want: ['FieldValueInvalid spec.taints[0].key', 'FieldValueRequired spec.taints[1].effect', 'FieldValueNotSupported spec.taints[2].effect', 'FieldValueDuplicate spec.taints[4]'],
    },
    { name: 'podCIDR set later', spec: { podCIDR: '10.42.1.0/24' }, old: {}, want: [] },
    { name: 'podCIDR changed', spec: { podCIDR: '10.42.1.0/24' }, old: { podCIDR: '10.42.0.0/24' }, want: ['FieldValueForbidden spec.podCIDRs'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(v(c.spec, c.old), c.want));
  it('defaults podCIDRs from podCIDR and fieldLabels', () => {
    const n: KubeObject = { metadata: { name: 'n1' }, spec: { podCIDR: '10.42.0.0/24', unschedulable: true } };
    nodes.defaults(n);
    assert.deepEqual((n['spec'] as JsonObject)['podCIDRs'], ['10.42.0.0/24']);
    assert.deepEqual(nodes.fieldLabels?.(n), { 'spec.unschedulable': 'true' });
  });
});
