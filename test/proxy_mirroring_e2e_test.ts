import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, kubectl, kubectlOk, type TestServer } from './harness.js';

let server: TestServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server.stop();
});

const MANIFEST = `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
  - name: pg
    port: 5432
---
apiVersion: v1
kind: Endpoints
metadata:
  name: db
subsets:
- addresses:
  - ip: 192.0.2.10
  ports:
  - name: pg
    port: 5432
`;

async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('the mirroring controller (with its RBAC identity) mirrors hand-written Endpoints', async () => {
  kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: MANIFEST });
  const addresses = (): string => kubectl('kubectl', server.kubeconfig, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=db', '-o', 'jsonpath={.items[*].endpoints[*].addresses[0]}']).stdout;
  await eventually('a mirrored slice', () => addresses() === '192.0.2.10');
  const managedBy = kubectlOk('kubectl', server.kubeconfig, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=db', '-o', 'jsonpath={.items[0].metadata.labels.endpointslice\\.kubernetes\\.io/managed-by}']);
  assert.equal(managedBy, 'endpointslicemirroring-controller.k8s.io');
  kubectlOk('kubectl', server.kubeconfig, ['delete', 'endpoints', 'db']);
  await eventually('the slice gone', () => addresses() === '');
});

test('services/proxy is served: an address that is no pod is never proxied to', () => {
  kubectlOk('kubectl', server.kubeconfig, ['apply', '-f', '-'], { input: MANIFEST });
  const r = kubectl('kubectl', server.kubeconfig, ['get', '--raw', '/api/v1/namespaces/default/services/db:pg/proxy/']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no endpoints available for service \\?"db:pg\\?"/);
  const missing = kubectl('kubectl', server.kubeconfig, ['get', '--raw', '/api/v1/nodes/nowhere/proxy/healthz']);
  assert.match(missing.stderr, /NotFound|not found/);
});
