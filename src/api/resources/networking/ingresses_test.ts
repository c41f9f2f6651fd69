import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { ingresses } from './ingresses.js';

const SEED = '/work/shared/seed/manifests';
// The tutorial's manifests, inlined as a fallback for checkouts without the seed folder.
const V1BETA1_FALLBACK = `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: ingress-letschat
spec:
  rules:
  - host: www.letschat.com
    http:
      paths:
      - path: "/"
        backend:
          serviceName: letschat
          servicePort: 8080
`;

function manifest(file: string, fallback: string): KubeObject {
  const p = `${SEED}/${file}`;
  return parse(existsSync(p) ? readFileSync(p, 'utf8') : fallback) as KubeObject;
}

function ingress(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec };
}

const svc = (name: string, port: Record<string, unknown>) => ({ service: { name, port } });
const rule = (host: string | undefined, paths: unknown[]) => ({ ...(host === undefined ? {} : { host }), http: { paths } });

test('ingress validation', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'valid', spec: { rules: [rule('a.example.com', [{ path: '/', pathType: 'Prefix', backend: svc('web', { number: 80 }) }])] }, want: [] },
    { name: 'wildcard host', spec: { rules: [rule('*.example.com', [{ path: '/x', pathType: 'Exact', backend: svc('web', { name: 'http' }) }])] }, want: [] },
    { name: 'no rules nor default', spec: {}, want: ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified'] },
    { name: 'missing pathType', spec: { rules: [rule(undefined, [{ path: '/', backend: svc('web', { number: 80 }) }])] }, want: ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'] },
    {
      name: 'relative prefix path',
      spec: { rules: [rule(undefined, [{ path: 'api', pathType: 'Prefix', backend: svc('web', { number: 80 }) }])] },
      want: ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    },
    {
      name: 'bad pathType',
      spec: { rules: [rule(undefined, [{ path: '/', pathType: 'Regex', backend: svc('web', { number: 80 }) }])] },
      want: ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
    },
    { name: 'IP host', spec: { rules: [rule('10.0.0.1', [{ path: '/', pathType: 'Prefix', backend: svc('web', { number: 80 }) }])] }, want: ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'] },
    { name: 'no port', spec: { defaultBackend: svc('web', {}) }, want: ['spec.defaultBackend: Required value: port name or number is required'] },
    { name: 'both ports', spec: { defaultBackend: svc('web', { name: 'http', number: 80 }) }, want: ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number'] },
    { name: 'port out of range', spec: { defaultBackend: svc('web', { number: 70000 }) }, want: ['spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive'] },
    {
      name: 'service and resource',
      spec: { defaultBackend: { ...svc('web', { number: 80 }), resource: { kind: 'Bucket', name: 'b' } } },
      want: ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'],
    },
    { name: 'no backend', spec: { defaultBackend: {} }, want: ['spec.defaultBackend: Invalid value: "": resource or service backend is required'] },
    { name: 'missing service name', spec: { defaultBackend: svc('', { number: 80 }) }, want: ['spec.defaultBackend.service.name: Required value'] },
  ];
  for (const c of cases) assert.deepEqual(ingresses.validate(ingress(c.spec)).map((e) => fieldErrorMessage(e)), c.want, c.name);
});

test('ingress table row', () => {
  const ing = ingress({ rules: [rule('a.com', []), rule(undefined, []), rule('b.com', []), rule('c.com', []), rule('d.com', [])] });
  ing.status = { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }, { hostname: 'lb.local' }, { ip: '10.0.0.1' }] } };
  const now = Date.parse('2024-01-01T00:00:30Z');
  assert.deepEqual(ingresses.row(ing, now), ['web', '<none>', 'a.com,b.com,c.com + 2 more...', '10.0.0.1,10.0.0.2,lb.local', '80', '30s']);
  const tls = ingress({ ingressClassName: 'skiff', tls: [{ hosts: ['a.com'] }], defaultBackend: svc('web', { number: 80 }) });
  assert.deepEqual(ingresses.row(tls, now), ['web', 'skiff', '*', '', '80, 443', '30s']);
  assert.deepEqual(ingresses.columns.map((c) => c.name), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
});

test("the tutorial's v1beta1 Ingress converts to the v1 manifest and back", () => {
  const beta = manifest('ingress-v1beta1.yaml', V1BETA1_FALLBACK);
  const converters = ingresses.otherVersions ?? [];
  assert.deepEqual(converters.map((c) => `${c.group}/${c.version}`), ['networking.k8s.io/v1beta1', 'extensions/v1beta1']);
  const conv = converters[0]!;
  const stored = conv.toStored(beta);
  assert.deepEqual(stored.spec, {
    rules: [{ host: 'www.letschat.com', http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'letschat', port: { number: 8080 } } } }] } }],
  });
  assert.equal(stored.apiVersion, 'networking.k8s.io/v1');
  assert.deepEqual(ingresses.validate(stored), []);
  // Back to v1beta1: the original plus the defaulted pathType.
  const back = conv.fromStored(stored);
  const expected = structuredClone(beta);
  ((expected.spec as { rules: { http: { paths: Record<string, unknown>[] } }[] }).rules[0]!.http.paths[0]!).pathType = 'ImplementationSpecific';
  assert.deepEqual(back, expected);
  // The article's edited v1 manifest differs only in pathType (Prefix, set by hand).
  const v1 = manifest('ingress.yaml', '');
  if (v1) {
    const edited = structuredClone(stored);
    ((edited.spec as { rules: { http: { paths: Record<string, unknown>[] } }[] }).rules[0]!.http.paths[0]!).pathType = 'Prefix';
    assert.deepEqual(edited.spec, v1.spec);
  }
});

test('v1beta1 conversion: default backend, named ports, extensions group', () => {
  const conv = (ingresses.otherVersions ?? [])[1]!;
  const beta: KubeObject = {
    apiVersion: 'extensions/v1beta1',
    kind: 'Ingress',
    metadata: { name: 'x' },
    spec: { backend: { serviceName: 'web', servicePort: 'http' }, rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { serviceName: 'api', servicePort: 80 } }] } }] },
  };
  const stored = conv.toStored(beta);
  assert.deepEqual(stored.spec, {
    defaultBackend: { service: { name: 'web', port: { name: 'http' } } },
    rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
  });
  assert.deepEqual(conv.fromStored(stored), beta);
});
