import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { buildTable, proxyPorts, renderChanges, renderProxyRuleset, usableEndpoints } from './ruleset.js';

const slice = (name: string, endpoints: unknown[], ports: unknown[] = [{ name: 'http', port: 8080, protocol: 'TCP' }]): KubeObject =>
  ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports, endpoints }) as unknown as KubeObject;
const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec } });
const ep = (ip: string, node: string, conditions: Record<string, boolean> = { ready: true }): unknown => ({ addresses: [ip], nodeName: node, conditions });
const render = (services: KubeObject[], slices: KubeObject[]): string => renderProxyRuleset({ services, endpointSlices: slices, nodeName: 'n1', nodeIPs: ['10.0.0.1'], clusterCIDR: '10.42.0.0/16' });

test('usableEndpoints: ready ones first, serving+terminating only when none is ready, named ports', () => {
  const s = slice('web', [ep('10.42.0.5', 'n1'), ep('10.42.0.6', 'n2', { ready: false, serving: true, terminating: true })]);
  assert.deepEqual(usableEndpoints([s], 'http', 'TCP', 'n1').map((e) => e.ip), ['10.42.0.5']);
  const t = slice('web', [ep('10.42.0.6', 'n2', { ready: false, serving: true, terminating: true }), ep('10.42.0.7', 'n2', { ready: false })]);
  assert.deepEqual(usableEndpoints([t], 'http', 'TCP', 'n1').map((e) => e.ip), ['10.42.0.6']);
  assert.deepEqual(usableEndpoints([s], 'other', 'TCP', 'n1'), []);
  assert.deepEqual(usableEndpoints([s], 'http', 'UDP', 'n1'), []);
});

test('ClusterIP: map entry, numgen over the endpoints, DNAT to the resolved port, hairpin mark', () => {
  const out = render([svc('web', {})], [slice('web', [ep('10.42.0.5', 'n1'), ep('10.42.1.5', 'n2')])]);
  assert.match(out, /10\.43\.0\.20 \. tcp \. 80 : goto svcc-default-web-80-/);
  assert.match(out, /numgen random mod 2 == 0 meta l4proto tcp dnat to 10\.42\.0\.5:8080\n\s+meta l4proto tcp dnat to 10\.42\.1\.5:8080\n/);
  assert.match(out, /hairpin-endpoints \{\n\s+type ipv4_addr \. ipv4_addr; elements = \{ 10\.42\.0\.5 \. 10\.42\.0\.5 \}/, 'only the local endpoint');
  assert.match(out, /meta l4proto tcp dnat to 10\.42\.1\.5:8080/);
});

test('no endpoints: the Service address goes into the reject set; headless and ExternalName get nothing', () => {
  const out = render([svc('empty', {}), svc('headless', { clusterIP: 'None' }), svc('ext', { type: 'ExternalName', externalName: 'x.example' })], []);
  assert.match(out, /no-endpoint-services \{\n\s+type ipv4_addr \. inet_proto \. inet_service; elements = \{ 10\.43\.0\.20 \. tcp \. 80 \}/);
  assert.doesNotMatch(out, /headless|ext-/);
});

test('NodePort, LoadBalancer and externalIPs; externalTrafficPolicy Local keeps only local endpoints', () => {
  const slices = [slice('lb', [ep('10.42.0.5', 'n1'), ep('10.42.1.5', 'n2')])];
  const out = render([svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', externalIPs: ['192.0.2.7'], ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] })], slices);
  assert.match(out, /tcp \. 30080 : goto svcx-/);
  assert.match(out, /10\.0\.0\.1 \. tcp \. 80 : goto svcx-/);
  assert.match(out, /192\.0\.2\.7 \. tcp \. 80 : goto svcx-/);
  const external = out.slice(out.indexOf('chain svcx-'));
  const chain = external.slice(0, external.indexOf('}'));
  assert.match(chain, /^\s+meta l4proto tcp dnat to 10\.42\.0\.5:8080$/m, 'the one local endpoint, no random pick');
  assert.doesNotMatch(chain, /numgen/);
  assert.doesNotMatch(external.slice(0, external.indexOf('}')), /ip saddr != /);
});

test('internalTrafficPolicy Local with no local endpoint rejects; sessionAffinity ClientIP uses timed sets', () => {
  const out = render([svc('dns', { internalTrafficPolicy: 'Local' })], [slice('dns', [ep('10.42.1.5', 'n2')])]);
  assert.match(out, /elements = \{ 10\.43\.0\.20 \. tcp \. 80 \}/);
  const sticky = render([svc('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })], [slice('web', [ep('10.42.0.5', 'n1')])]);
  assert.match(sticky, /timeout 60s;/);
  assert.match(sticky, /update @aff-c-/);
});

test('renderChanges: nothing for an unchanged table; an endpoint change touches only its Service', () => {
  const table = (eps: unknown[]) => {
    const input = { services: [svc('web', {}), { ...svc('other', {}), spec: { clusterIP: '10.43.0.21', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }], endpointSlices: [slice('web', eps), slice('other', [ep('10.42.2.9', 'n2')])], nodeName: 'n1', nodeIPs: ['10.0.0.1'], clusterCIDR: '10.42.0.0/16' };
    return buildTable(proxyPorts(input), input);
  };
  const a = table([ep('10.42.0.5', 'n1'), ep('10.42.1.5', 'n2')]);
  assert.equal(renderChanges(a, table([ep('10.42.0.5', 'n1'), ep('10.42.1.5', 'n2')])), '');
  const moved = renderChanges(a, table([ep('10.42.0.5', 'n1'), ep('10.42.1.6', 'n2')]));
  assert.match(moved, /^flush chain ip skiff-proxy svcc-default-web-80-\w+\n(add rule ip skiff-proxy svcc-default-web-80-.*\n){3}$/);
  assert.match(moved, /dnat to 10\.42\.1\.6:8080$/m);
  assert.doesNotMatch(moved, /other|element/);
  const none = renderChanges(a, table([]));
  assert.match(none, /^delete element ip skiff-proxy service-ips \{ 10\.43\.0\.20 \. tcp \. 80 \}$/m);
  assert.match(none, /^add element ip skiff-proxy no-endpoint-services \{ 10\.43\.0\.20 \. tcp \. 80 \}$/m);
  assert.match(none, /^delete element ip skiff-proxy hairpin-endpoints \{ 10\.42\.0\.5 \. 10\.42\.0\.5 \}$/m);
  assert.ok(none.indexOf('delete chain') > none.indexOf('delete element'), 'chains go after the elements that refer to them');
});
