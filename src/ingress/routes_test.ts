import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { buildIngressModel, locationsFor } from './routes.js';
import { renderNginxConfig } from './nginx_config.js';

const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'd' }, spec: { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] } };
const slice: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'd', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }] };
const ing = (host: string, svcName: string): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: host || 'any', namespace: 'd' }, spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svcName, port: { number: 8080 } } } }] } }] } });

test('locationsFor: Prefix matches whole elements, Exact one path, ImplementationSpecific a string prefix', () => {
  assert.deepEqual(locationsFor('Prefix', '/foo/').map((l) => `${l.match} ${l.path}`), ['exact /foo', 'prefix /foo/']);
  assert.deepEqual(locationsFor('Exact', '/foo').map((l) => `${l.match} ${l.path}`), ['exact /foo']);
  assert.deepEqual(locationsFor('ImplementationSpecific', '').map((l) => `${l.match} ${l.path}`), ['prefix /']);
});

test('buildIngressModel: host routes to ready endpoints, 503 without a service, 404 for unknown hosts', () => {
  const m = buildIngressModel({ ingresses: [ing('www.letschat.com', 'web'), ing('gone.example', 'missing')], classes: [], services: (k) => (k === 'd/web' ? svc : undefined), endpointSlices: () => [slice], secrets: () => undefined, nodeName: 'n1' });
  assert.deepEqual(m.upstreams.map((u) => u.servers), [['10.42.0.5:80']]);
  const www = m.hosts.find((h) => h.host === 'www.letschat.com')!;
  assert.equal(www.locations[0]!.target.kind, 'upstream');
  assert.deepEqual(m.hosts.find((h) => h.host === 'gone.example')!.locations[0]!.target, { kind: 'status', code: 503 });
  assert.deepEqual(m.hosts.find((h) => h.host === '')!.locations[0]!.target, { kind: 'status', code: 404 });
  const conf = renderNginxConfig(m, { listenIP: '127.0.0.1', httpPort: 80, httpsPort: 443, dir: '/tmp/x', certFile: () => '' });
  assert.match(conf, /server_name www\.letschat\.com;/);
  assert.match(conf, /server 10\.42\.0\.5:80 max_fails=0;/);
});
