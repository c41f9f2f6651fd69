import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeKubeProtobuf, isProtobufContentType } from './index.js';
import { KUBECTL_BODIES } from './kubectl_bodies_testdata.js';

describe('captured kubectl bodies', () => {
  for (const fx of KUBECTL_BODIES) {
    it(fx.cmd, () => {
      assert.deepEqual(decodeKubeProtobuf(Buffer.from(fx.body, 'base64')), JSON.parse(fx.json));
    });
  }
});

// Live capture: a throwaway server answers discovery and records what kubectl POSTs.
const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';
const resource = (name: string, kind: string, namespaced = true) => ({ name, singularName: '', namespaced, kind, verbs: ['create', 'get', 'list'] });
const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [resource('namespaces', 'Namespace', false), resource('configmaps', 'ConfigMap'), resource('services', 'Service')],
  },
  '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [resource('deployments', 'Deployment')] },
};

interface Captured {
  contentType: string;
  body: Buffer;
}

describe('live kubectl bodies', () => {
  const captured: Captured[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const reply = (code: number, obj: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
      if (req.method === 'GET') return reply(DISCOVERY[path] ? 200 : 404, DISCOVERY[path] ?? { kind: 'Status', code: 404 });
      captured.push({ contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      const kind = path.endsWith('deployments') ? ['apps/v1', 'Deployment'] : ['v1', 'Namespace'];
      reply(201, { apiVersion: kind[0], kind: kind[1], metadata: { name: 'x' } });
    });
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = (args: string[]) =>
    new Promise<Captured | undefined>((resolve) => {
      const before = captured.length;
      const env = { ...process.env, KUBECONFIG: '/dev/null' };
      execFile(KUBECTL, ['--server', url, '-n', 'default', ...args], { timeout: 15_000, env }, (err) => {
        resolve(err ? undefined : captured[before]);
      });
    });

  it('decodes kubectl create namespace and create deployment', async (t) => {
    const ns = await run(['create', 'namespace', 'foo']);
    if (!ns || !isProtobufContentType(ns.contentType)) return t.skip('kubectl missing or sends JSON (kubectl < 1.32)');
    assert.deepEqual(decodeKubeProtobuf(ns.body), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'foo', creationTimestamp: null },
      spec: {},
      status: {},
    });
    const dep = await run(['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '--port=80']);
    assert.ok(dep);
    const obj = decodeKubeProtobuf(dep.body);
    assert.deepEqual(obj['spec'], {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
      },
      strategy: {},
    });
  });
});
