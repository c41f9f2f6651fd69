import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import { usableEndpoints } from '../../api/resources/discovery/usable_endpoints.js';
import { startEndpointSliceMirroringController } from './index.js';
import { desiredSlices } from './desired.js';
import { startHarness } from '../namespace/harness_test_helper.js';

const endpointsObj = (subsets: unknown[], labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db', namespace: 'default', labels }, subsets }) as unknown as KubeObject;

test('desiredSlices: one slice per port set and address type, ready wins over not-ready, chunks of max', () => {
  const ports = [{ name: 'pg', port: 5432, protocol: 'TCP' }];
  const out = desiredSlices(endpointsObj([
    { addresses: [{ ip: '192.0.2.1', hostname: 'a' }, { ip: '2001:db8::1' }], notReadyAddresses: [{ ip: '192.0.2.2' }, { ip: '192.0.2.1' }], ports },
    { addresses: [{ ip: '192.0.2.3' }, { ip: 'not-an-ip' }], ports },
    { addresses: [{ ip: '192.0.2.9' }], ports: [{ port: 80 }] },
  ]), 2);
  assert.deepEqual(out.map((s) => [s.addressType, s.endpoints.map((e) => [(e.addresses as string[])[0], (e.conditions as { ready: boolean }).ready])]), [
    ['IPv4', [['192.0.2.1', true], ['192.0.2.2', false]]],
    ['IPv4', [['192.0.2.3', true]]],
    ['IPv6', [['2001:db8::1', true]]],
    ['IPv4', [['192.0.2.9', true]]],
  ]);
  assert.equal(out[0]?.endpoints[0]?.hostname, 'a');
  assert.deepEqual(out[3]?.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
});

test('Endpoints of a selector-less Service are mirrored, updated and deleted with them', async () => {
  const h = await startHarness([startEndpointSliceMirroringController]);
  const slices = h.client.resource(R.endpointslices);
  const endpoints = h.client.resource(R.endpoints);
  const list = async (name = 'db'): Promise<KubeObject[]> => (await slices.list('default', { labelSelector: `kubernetes.io/service-name=${name}` })).items;
  try {
    await h.client.resource(R.services).create('default', { metadata: { name: 'db' }, spec: { ports: [{ name: 'pg', port: 5432 }] } });
    const ep = await endpoints.create('default', { metadata: { name: 'db', labels: { team: 'data' }, annotations: { note: 'x', 'endpoints.kubernetes.io/last-change-trigger-time': 't' } }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'pg', port: 5432 }] }] });
    await h.waitFor(async () => (await list()).length === 1, 'a mirrored slice');
    const [slice] = await list();
    assert.ok(slice?.metadata.name?.startsWith('db-'));
    assert.deepEqual(slice?.metadata.labels, { team: 'data', 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    assert.deepEqual(slice?.metadata.annotations, { note: 'x' });
    assert.equal(slice?.metadata.ownerReferences?.[0]?.uid, ep.metadata.uid);
    // What the node Service proxy programs from the slices: the hand-written address.
    assert.deepEqual(usableEndpoints(await list(), 'pg', 'TCP', 'n1').map((e) => [e.ip, e.port]), [['192.0.2.10', 5432]]);

    // No write without a change; an update of the Endpoints updates the same slice.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await list())[0]?.metadata.resourceVersion, slice?.metadata.resourceVersion);
    await endpoints.patch('default', 'db', 'merge', { subsets: [{ addresses: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }], ports: [{ name: 'pg', port: 5432 }] }] });
    await h.waitFor(async () => (await list()).flatMap((s) => arr(s, 'endpoints')).length === 2, 'two mirrored endpoints');
    assert.equal((await list())[0]?.metadata.name, slice?.metadata.name);

    // Opting out with skip-mirror removes the slices.
    await endpoints.patch('default', 'db', 'merge', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } } });
    await h.waitFor(async () => (await list()).length === 0, 'slices gone after skip-mirror');
    await endpoints.patch('default', 'db', 'merge', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': null } } });
    await h.waitFor(async () => (await list()).length === 1, 'mirrored again');
    await endpoints.delete('default', 'db');
    await h.waitFor(async () => (await list()).length === 0, 'slices gone with the Endpoints');

    // Services with a selector are the endpointslice controller's: their Endpoints are not mirrored.
    await h.client.resource(R.services).create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await endpoints.create('default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '192.0.2.20' }], ports: [{ port: 80 }] }] });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await list('web')).length, 0);
  } finally {
    await h.stop();
  }
});
