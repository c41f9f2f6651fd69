import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { services } from './services.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');
const at = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);

function svc(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec, ...extra };
}

/** created mimics the API server: defaults, prepareForCreate, then the allocator's cluster IP. */
function created(spec: Record<string, unknown>, clusterIP = '10.43.0.5'): KubeObject {
  const o = svc(spec);
  services.defaults(o);
  services.prepareForCreate?.(o);
  const s = o.spec as Record<string, unknown>;
  if (s.type !== 'ExternalName' && s.clusterIP === undefined) {
    s.clusterIP = clusterIP;
    s.clusterIPs = [clusterIP];
  }
  return o;
}

test('services defaults', () => {
  const o = svc({ type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'UDP' }] });
  services.defaults(o);
  assert.deepEqual(o.spec, {
    type: 'LoadBalancer',
    sessionAffinity: 'None',
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 'https', protocol: 'UDP' },
    ],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    allocateLoadBalancerNodePorts: true,
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const plain = svc({ ports: [{ port: 80 }] });
  services.defaults(plain);
  assert.equal((plain.spec as Record<string, unknown>).type, 'ClusterIP');
  assert.equal((plain.spec as Record<string, unknown>).externalTrafficPolicy, undefined);
  const headless = svc({ clusterIP: 'None' });
  services.defaults(headless);
  assert.equal((headless.spec as Record<string, unknown>).ipFamilyPolicy, 'RequireDualStack');
  assert.deepEqual((headless.spec as Record<string, unknown>).clusterIPs, ['None']);
});

test('services validation', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'valid', spec: { ports: [{ port: 80 }], selector: { app: 'web' } }, want: [] },
    { name: 'ports required', spec: {}, want: ['FieldValueRequired spec.ports'] },
    { name: 'headless needs no ports', spec: { clusterIP: 'None' }, want: [] },
    { name: 'port range', spec: { ports: [{ port: 70000 }] }, want: ['FieldValueInvalid spec.ports[0].port', 'FieldValueInvalid spec.ports[0].targetPort'] },
    { name: 'names required', spec: { ports: [{ port: 80 }, { port: 81, name: 'b' }] }, want: ['FieldValueRequired spec.ports[0].name'] },
    { name: 'duplicate names', spec: { ports: [{ port: 80, name: 'a' }, { port: 81, name: 'a' }] }, want: ['FieldValueDuplicate spec.ports[1].name'] },
    { name: 'protocol', spec: { ports: [{ port: 80, protocol: 'HTTP' }] }, want: ['FieldValueNotSupported spec.ports[0].protocol'] },
    { name: 'targetPort name', spec: { ports: [{ port: 80, targetPort: '8080' }] }, want: ['FieldValueInvalid spec.ports[0].targetPort'] },
    { name: 'nodePort on ClusterIP', spec: { ports: [{ port: 80, nodePort: 30080 }] }, want: ['FieldValueForbidden spec.ports[0].nodePort'] },
    { name: 'nodePort on NodePort', spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, want: [] },
    { name: 'type', spec: { type: 'Magic', ports: [{ port: 80 }] }, want: ['FieldValueNotSupported spec.type'] },
    { name: 'externalName required', spec: { type: 'ExternalName' }, want: ['FieldValueRequired spec.externalName'] },
    { name: 'externalName ok', spec: { type: 'ExternalName', externalName: 'db.example.com.' }, want: [] },
    { name: 'selector labels', spec: { ports: [{ port: 80 }], selector: { 'a b': 'x' } }, want: ['FieldValueInvalid spec.selector'] },
    { name: 'duplicate port', spec: { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] }, want: ['FieldValueDuplicate spec.ports[1]'] },
  ];
  for (const c of cases) {
    const o = created(c.spec);
    assert.deepEqual(at(services.validate(o)), c.want, c.name);
  }
  const named = created({ ports: [{ port: 80 }] });
  named.metadata.name = '1web';
  assert.deepEqual(at(services.validate(named)), ['FieldValueInvalid metadata.name']);
  const [e] = services.validate(created({ ports: [{ port: 0, targetPort: 80 }] }));
  assert.equal(fieldErrorMessage(e!), 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
});

test('services update keeps allocated values and forbids changing the cluster IP', () => {
  const old = created({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
  const next = svc({ type: 'NodePort', ports: [{ port: 80 }] });
  services.defaults(next);
  services.prepareForUpdate?.(next, old);
  assert.equal((next.spec as { clusterIP: string }).clusterIP, '10.43.0.5');
  assert.deepEqual((next.spec as { ports: unknown[] }).ports, [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }]);
  assert.deepEqual(services.validate(next, old), []);

  const moved = svc({ ports: [{ port: 80 }], clusterIP: '10.43.0.9' });
  services.defaults(moved);
  services.prepareForUpdate?.(moved, old);
  assert.deepEqual(at(services.validate(moved, old)), ['FieldValueInvalid spec.clusterIPs[0]']);

  // NodePort → ClusterIP: the node ports and external traffic policy the client echoed back are dropped.
  const toClusterIP = structuredClone(old);
  (toClusterIP.spec as Record<string, unknown>).type = 'ClusterIP';
  services.defaults(toClusterIP);
  services.prepareForUpdate?.(toClusterIP, old);
  assert.deepEqual(services.validate(toClusterIP, old), []);
  assert.equal((toClusterIP.spec as Record<string, unknown>).externalTrafficPolicy, undefined);
});

test('services rows', () => {
  const cases: { name: string; obj: KubeObject; want: unknown[] }[] = [
    {
      name: 'nodeport',
      obj: created({ type: 'NodePort', selector: { name: 'letschat' }, ports: [{ port: 8080, nodePort: 31234 }] }),
      want: ['web', 'NodePort', '10.43.0.5', '<none>', '8080:31234/TCP', '60m', 'name=letschat'],
    },
    { name: 'clusterip', obj: created({ ports: [{ port: 27017 }] }), want: ['web', 'ClusterIP', '10.43.0.5', '<none>', '27017/TCP', '60m', '<none>'] },
    { name: 'lb pending', obj: created({ type: 'LoadBalancer', ports: [{ port: 80 }] }), want: ['web', 'LoadBalancer', '10.43.0.5', '<pending>', '80/TCP', '60m', '<none>'] },
    { name: 'headless', obj: created({ clusterIP: 'None' }), want: ['web', 'ClusterIP', 'None', '<none>', '<none>', '60m', '<none>'] },
    { name: 'externalname', obj: created({ type: 'ExternalName', externalName: 'db.example.com' }), want: ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '60m', '<none>'] },
  ];
  for (const c of cases) assert.deepEqual(services.row(c.obj, NOW), c.want, c.name);
  const lb = created({ type: 'LoadBalancer', ports: [{ port: 80 }] });
  lb.status = { loadBalancer: { ingress: [{ ip: '192.168.1.11' }, { ip: '192.168.1.10' }] } };
  assert.equal(services.row(lb, NOW)[3], '192.168.1.10,192.168.1.11');
  assert.deepEqual(services.columns.map((c) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
  assert.deepEqual(services.fieldLabels?.(lb), { 'spec.clusterIP': '10.43.0.5', 'spec.type': 'LoadBalancer' });
});
