import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import { arr, field } from '../../api/object.js';
import { startEndpointsController } from './index.js';
import { exists, startHarness } from '../namespace/harness_test_helper.js';
import { createPod } from './pods_test_helper.js';

const ips = (ep: unknown, kind: 'addresses' | 'notReadyAddresses'): unknown[] => arr(ep, 'subsets').flatMap((s) => arr(s, kind).map((a) => field(a, 'ip')));

test('Endpoints follow selected pods, readiness and named ports; go with the Service', async () => {
  const h = await startHarness([startEndpointsController]);
  const eps = h.client.resource(R.endpoints);
  try {
    const http = [{ name: 'http', containerPort: 8080 }];
    await createPod(h.client, { name: 'a', labels: { app: 'web' }, ip: '10.42.0.5', ports: http });
    await createPod(h.client, { name: 'b', labels: { app: 'web' }, ip: '10.42.0.6', ready: false, ports: http });
    await createPod(h.client, { name: 'c', labels: { app: 'web' }, ip: '10.42.0.7' });
    await createPod(h.client, { name: 'other', labels: { app: 'db' }, ip: '10.42.0.8', ports: http });
    await h.client.resource(R.services).create('default', { metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });
    await h.waitFor(async () => (await exists(eps.get('default', 'web'))), 'endpoints created');
    let ep = await eps.get('default', 'web');
    assert.deepEqual(ips(ep, 'addresses'), ['10.42.0.5']);
    assert.deepEqual(ips(ep, 'notReadyAddresses'), ['10.42.0.6']);
    assert.deepEqual(field(ep, 'subsets', 0, 'ports'), [{ port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(field(ep, 'subsets', 0, 'addresses', 0, 'targetRef'), { kind: 'Pod', namespace: 'default', name: 'a', uid: (await h.client.resource(R.pods).get('default', 'a')).metadata.uid });
    assert.deepEqual(ep.metadata.labels, { tier: 'front' });

    // No write without a change.
    const rv = ep.metadata.resourceVersion;
    await h.client.resource(R.pods).patch('default', 'a', 'merge', { metadata: { annotations: { note: 'x' } } });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await eps.get('default', 'web')).metadata.resourceVersion, rv);

    // A terminating pod leaves.
    await createPod(h.client, { name: 'd', labels: { app: 'web' }, ip: '10.42.0.9', nodeName: 'n1', ports: http });
    await h.waitFor(async () => ips(await eps.get('default', 'web'), 'addresses').includes('10.42.0.9'), 'new pod listed');
    await h.client.resource(R.pods).delete('default', 'd');
    await h.waitFor(async () => !ips(await eps.get('default', 'web'), 'addresses').includes('10.42.0.9'), 'terminating pod removed');

    // Deleted Endpoints come back; they go with the Service.
    await eps.delete('default', 'web');
    await h.waitFor(async () => (await exists(eps.get('default', 'web'))), 'endpoints recreated');
    ep = await eps.get('default', 'web');
    assert.deepEqual(ips(ep, 'addresses'), ['10.42.0.5']);
    await h.client.resource(R.services).delete('default', 'web');
    await h.waitFor(async () => !(await exists(eps.get('default', 'web'))), 'endpoints deleted with the service');
  } finally {
    await h.stop();
  }
});

test('headless Services are labelled; Endpoints of Services without selector are left alone', async () => {
  const h = await startHarness([startEndpointsController]);
  const eps = h.client.resource(R.endpoints);
  try {
    await createPod(h.client, { name: 'a', labels: { app: 'db' }, ip: '10.42.0.5', hostname: 'db-0', subdomain: 'db' });
    await h.client.resource(R.services).create('default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } });
    await h.waitFor(async () => (await exists(eps.get('default', 'db'))), 'headless endpoints');
    const ep = await eps.get('default', 'db');
    assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' });
    assert.equal(field(ep, 'subsets', 0, 'addresses', 0, 'hostname'), 'db-0');

    const manual = { metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }] };
    await eps.create('default', manual);
    await h.client.resource(R.services).create('default', { metadata: { name: 'external' }, spec: { ports: [{ port: 80 }] } });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(field(await eps.get('default', 'external'), 'subsets'), manual.subsets);
  } finally {
    await h.stop();
  }
});
