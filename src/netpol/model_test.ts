import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { netpolModel, policyId, type PolicyModel } from './model.js';
import { namespace, pod, policy } from './netpol_fixtures_test_helper.js';

const namespaces = [namespace('prod', { team: 'a' }), namespace('dev', { team: 'b' }), namespace('mon', { role: 'monitoring' })];
const pods = [
  pod('prod', 'web-1', 'n1', '10.42.1.2', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
  pod('prod', 'web-2', 'n2', '10.42.2.2', { app: 'web' }, [{ name: 'http', containerPort: 9090 }]),
  pod('prod', 'db', 'n1', '10.42.1.3', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
  pod('dev', 'client', 'n2', '10.42.2.5', { app: 'client' }),
  pod('mon', 'prom', 'n2', '10.42.2.9', { app: 'prom' }),
];
const model = (policies: KubeObject[], more: KubeObject[] = []): PolicyModel[] => netpolModel({ policies, pods: [...pods, ...more], namespaces, nodeName: 'n1' });
const only = (policies: KubeObject[], more: KubeObject[] = []): PolicyModel => {
  const m = model(policies, more);
  assert.equal(m.length, 1, JSON.stringify(m));
  return m[0]!;
};

test('a policy targets only the local pods it selects; one selecting none here is left out', () => {
  const m = only([policy('prod', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })]);
  assert.deepEqual(m.targets, ['10.42.1.2']);
  assert.deepEqual(m.ingress, []);
  assert.equal(m.egress, undefined);
  assert.equal(m.id, policyId('prod', 'web'));
  assert.deepEqual(model([policy('dev', 'all', { podSelector: {} })]), [], 'dev has no pod on n1');
});

test('policyTypes default: Ingress, plus Egress when there are egress rules', () => {
  const m = only([policy('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, egress: [{}] })]);
  assert.deepEqual(m.ingress, []);
  assert.deepEqual(m.egress, [{ peers: undefined, ports: undefined }]);
});

test('peers: podSelector in the policy namespace, namespaceSelector, both, and ipBlock with except', () => {
  const peersOf = (from: unknown[]): unknown => only([policy('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from }] })]).ingress![0]!.peers;
  const cases: { from: unknown[]; want: unknown }[] = [
    { from: [{ podSelector: { matchLabels: { app: 'web' } } }], want: { pods: ['10.42.1.2', '10.42.2.2'], blocks: undefined } },
    { from: [{ podSelector: { matchLabels: { app: 'client' } } }], want: { pods: [], blocks: undefined } },
    { from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }], want: { pods: ['10.42.2.5'], blocks: undefined } },
    { from: [{ namespaceSelector: {} , podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['prom', 'client'] }] } }], want: { pods: ['10.42.2.5', '10.42.2.9'], blocks: undefined } },
    { from: [{ namespaceSelector: { matchLabels: { role: 'monitoring' } }, podSelector: { matchLabels: { app: 'client' } } }], want: { pods: [], blocks: undefined } },
    { from: [{ ipBlock: { cidr: '10.42.0.0/16', except: ['10.42.2.0/24'] } }], want: { pods: undefined, blocks: ['10.42.0.0-10.42.1.255', '10.42.3.0-10.42.255.255'] } },
    { from: [{ podSelector: {} }, { ipBlock: { cidr: '192.0.2.0/24' } }], want: { pods: ['10.42.1.2', '10.42.1.3', '10.42.2.2'], blocks: ['192.0.2.0-192.0.2.255'] } },
  ];
  for (const c of cases) assert.deepEqual(peersOf(c.from), c.want, JSON.stringify(c.from));
});

test('ports: protocols alone, numbers and endPort ranges merged per protocol, named ports on the target pods', () => {
  const portsOf = (ports: unknown[]): unknown => only([policy('prod', 'p', { podSelector: {}, ingress: [{ ports }] })]).ingress![0]!.ports;
  assert.deepEqual(portsOf([{ protocol: 'UDP' }]), { protocols: ['udp'], numbered: [], named: undefined });
  assert.deepEqual(portsOf([{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 8000, endPort: 8100 }, { protocol: 'TCP', port: 8050 }, { protocol: 'SCTP', port: 9 }]), { protocols: [], numbered: ['tcp . 80', 'tcp . 8000-8100', 'sctp . 9'], named: undefined });
  // Local targets are web-1 (http 8080) and db (pg 5432, dns/UDP 53): each resolves its own names.
  assert.deepEqual(portsOf([{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 'pg' }, { protocol: 'TCP', port: 'dns' }]), { protocols: [], numbered: [], named: ['10.42.1.2 . tcp . 8080', '10.42.1.3 . tcp . 5432'] });
  assert.deepEqual(portsOf([{ protocol: 'UDP', port: 'dns' }]), { protocols: [], numbered: [], named: ['10.42.1.3 . udp . 53'] });
});

test('egress named ports resolve on the peer pods (every pod when the rule has no pod peers only)', () => {
  const egressPorts = (to: unknown[] | undefined): unknown => only([policy('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'], egress: [{ ...(to ? { to } : {}), ports: [{ protocol: 'TCP', port: 'http' }] }] })]).egress![0]!.ports;
  assert.deepEqual(egressPorts([{ podSelector: { matchLabels: { app: 'web' } } }]), { protocols: [], numbered: [], named: ['10.42.1.2 . tcp . 8080', '10.42.2.2 . tcp . 9090'] });
  assert.deepEqual(egressPorts(undefined), { protocols: [], numbered: [], named: ['10.42.1.2 . tcp . 8080', '10.42.2.2 . tcp . 9090'] });
  assert.deepEqual(egressPorts([{ podSelector: { matchLabels: { app: 'client' } } }]), { protocols: [], numbered: [], named: [] });
});

test('pods without an address, on the host network or finished take no part', () => {
  const hostNet = { ...pod('prod', 'h', 'n1', '192.168.0.1', { app: 'web' }), spec: { nodeName: 'n1', hostNetwork: true, containers: [] } } as unknown as KubeObject;
  const done = { ...pod('prod', 'd', 'n1', '10.42.1.9', { app: 'web' }), status: { phase: 'Succeeded', podIP: '10.42.1.9' } } as unknown as KubeObject;
  const pending = { ...pod('prod', 'p', 'n1', '', { app: 'web' }), status: { phase: 'Pending' } } as unknown as KubeObject;
  const m = only([policy('prod', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] })], [hostNet, done, pending]);
  assert.deepEqual(m.targets, ['10.42.1.2']);
  assert.deepEqual(m.ingress![0]!.peers, { pods: ['10.42.1.2', '10.42.1.3', '10.42.2.2'], blocks: undefined });
});

test('a namespace not in the cache still matches a selector on its name label', () => {
  const m = netpolModel({ policies: [policy('prod', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }] }] })], pods, namespaces: [], nodeName: 'n1' });
  assert.deepEqual(m[0]!.ingress![0]!.peers, { pods: ['10.42.2.5'], blocks: undefined });
});
