import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';
import { arr, field } from '../../api/object.js';
import { startEndpointSliceController } from './index.js';
import { startHarness } from '../namespace/harness_test_helper.js';
import { createPod } from '../endpoints/pods_test_helper.js';

test('EndpointSlices follow the pods of a Service and go with it', async () => {
  const h = await startHarness([startEndpointSliceController]);
  const slices = h.client.resource(R.endpointslices);
  const list = async (): Promise<KubeObject[]> => (await slices.list('default', { labelSelector: 'kubernetes.io/service-name=web' })).items;
  const endpointsOf = async (): Promise<unknown[]> => (await list()).flatMap((s) => arr(s, 'endpoints'));
  try {
    await createPod(h.client, { name: 'a', labels: { app: 'web' }, ip: '10.42.0.5', nodeName: 'n1', ports: [{ name: 'http', containerPort: 8080 }] });
    await createPod(h.client, { name: 'b', labels: { app: 'web' }, ip: '10.42.0.6', ready: false, ports: [{ name: 'http', containerPort: 8080 }] });
    const svc = await h.client.resource(R.services).create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } });
    await h.waitFor(async () => (await endpointsOf()).length === 2, 'slice with two endpoints');
    const [slice] = await list();
    assert.ok(slice?.metadata.name?.startsWith('web-'));
    assert.equal(slice?.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice?.metadata.ownerReferences?.[0]?.uid, svc.metadata.uid);
    assert.deepEqual(slice?.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(field(slice, 'endpoints', 0), {
      addresses: ['10.42.0.5'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'n1',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: (await h.client.resource(R.pods).get('default', 'a')).metadata.uid },
    });
    assert.deepEqual(field(slice, 'endpoints', 1, 'conditions'), { ready: false, serving: false, terminating: false });

    // No write without a change.
    const rv = slice?.metadata.resourceVersion;
    await h.client.resource(R.pods).patch('default', 'a', 'merge', { metadata: { annotations: { note: 'x' } } });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await list())[0]?.metadata.resourceVersion, rv);

    // A terminating pod stays, marked terminating.
    await h.client.resource(R.pods).delete('default', 'a');
    await h.waitFor(async () => field((await endpointsOf())[0], 'conditions', 'terminating') === true, 'terminating condition');
    assert.deepEqual(field((await endpointsOf())[0], 'conditions'), { ready: false, serving: true, terminating: true });
    assert.equal((await list()).length, 1);

    await h.client.resource(R.services).delete('default', 'web');
    await h.waitFor(async () => (await list()).length === 0, 'slices deleted with the service');
  } finally {
    await h.stop();
  }
});

test('a Service without pods gets one empty slice', async () => {
  const h = await startHarness([startEndpointSliceController]);
  try {
    await h.client.resource(R.services).create('default', { metadata: { name: 'lonely' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    const list = async (): Promise<KubeObject[]> => (await h.client.resource(R.endpointslices).list('default', { labelSelector: 'kubernetes.io/service-name=lonely' })).items;
    await h.waitFor(async () => (await list()).length === 1, 'placeholder slice');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await list()).length, 1);
    assert.deepEqual(field((await list())[0], 'endpoints'), []);
  } finally {
    await h.stop();
  }
});
