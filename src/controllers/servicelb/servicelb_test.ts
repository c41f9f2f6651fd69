import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { desiredIngress, ENABLE_LB_LABEL, loadBalancerAddresses } from './index.js';

const node = (name: string, ip: string, ready = true, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
});
const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec });

test('loadBalancerAddresses: Ready nodes, sorted; only labelled ones once any node is labelled', () => {
  const nodes = [node('b', '10.0.0.2'), node('a', '10.0.0.1'), node('c', '10.0.0.3', false)];
  assert.deepEqual(loadBalancerAddresses(nodes), ['10.0.0.1', '10.0.0.2']);
  const labelled = [node('a', '10.0.0.1', true, { [ENABLE_LB_LABEL]: 'true' }), node('b', '10.0.0.2')];
  assert.deepEqual(loadBalancerAddresses(labelled), ['10.0.0.1']);
});

test('desiredIngress: LoadBalancer Services without a class get the node addresses, others nothing', () => {
  const nodes = [node('a', '10.0.0.1')];
  const cases: [Record<string, unknown>, string[]][] = [
    [{ type: 'LoadBalancer' }, ['10.0.0.1']],
    [{ type: 'LoadBalancer', loadBalancerClass: 'other.io/lb' }, []],
    [{ type: 'NodePort' }, []],
    [{ type: 'ClusterIP' }, []],
  ];
  for (const [spec, want] of cases) assert.deepEqual(desiredIngress(svc(spec), nodes).map((i) => i.ip), want, JSON.stringify(spec));
});
