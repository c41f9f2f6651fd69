import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { networkingResources } from './index.js';
import { ingressclasses, isDefaultIngressClass } from './ingressclasses.js';
import { networkpolicies } from './networkpolicies.js';

const NOW = Date.parse('2024-01-01T00:01:00Z');

test('networking index', () => {
  assert.deepEqual(
    networkingResources.map((r) => [r.plural, r.namespaced, r.shortNames.join(',')]),
    [
      ['ingresses', true, 'ing'],
      ['ingressclasses', false, ''],
      ['networkpolicies', true, 'netpol'],
    ],
  );
});

test('ingressclass: defaults, validation, row, default annotation', () => {
  const ic: KubeObject = {
    metadata: { name: 'skiff', creationTimestamp: '2024-01-01T00:00:00Z', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'skiff.io/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } },
  };
  ingressclasses.defaults(ic);
  assert.equal((ic.spec as { parameters: { scope: string } }).parameters.scope, 'Cluster');
  assert.deepEqual(ingressclasses.validate(ic), []);
  assert.ok(isDefaultIngressClass(ic));
  assert.deepEqual(ingressclasses.row(ic, NOW), ['skiff', 'skiff.io/ingress', 'IngressParameters.k8s.example.com/p', '60s']);
  const bad: KubeObject = { metadata: { name: 'b' }, spec: { controller: 'nodomain' } };
  assert.deepEqual(ingressclasses.validate(bad).map((e) => fieldErrorMessage(e)), ['spec.controller: Invalid value: "nodomain": must be a domain-prefixed path (such as "acme.io/foo")']);
  const changed = structuredClone(ic);
  (changed.spec as Record<string, unknown>).controller = 'other.io/x';
  assert.deepEqual(ingressclasses.validate(changed, ic).map((e) => [e.field, e.detail]), [['spec.controller', 'field is immutable']]);
});

test('networkpolicy: defaults, validation and row', () => {
  const np: KubeObject = {
    metadata: { name: 'deny', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }], ports: [{ port: 27017 }] }],
      egress: [{ to: [{ namespaceSelector: {} }] }],
    },
  };
  networkpolicies.defaults(np);
  const spec = np.spec as { policyTypes: string[]; ingress: { ports: { protocol: string }[] }[] };
  assert.deepEqual(spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(spec.ingress[0]!.ports[0]!.protocol, 'TCP');
  assert.deepEqual(networkpolicies.validate(np), []);
  assert.deepEqual(networkpolicies.row(np, NOW), ['deny', 'app=db', '60s']);
  const bad: KubeObject = {
    metadata: { name: 'bad' },
    spec: {
      podSelector: {},
      ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['192.168.0.0/24'] }, podSelector: {} }], ports: [{ port: 'http', endPort: 90 }] }],
      policyTypes: ['Sideways'],
    },
  };
  assert.deepEqual(networkpolicies.validate(bad).map((e) => fieldErrorMessage(e)), [
    'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
    'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
  assert.equal(networkpolicies.row(bad, NOW)[1], '<none>');
});
