// The manifests folder as a k3s user meets it (<data-dir>/server/manifests): files dropped there are
// applied, edits prune what a file no longer has, `.skip` turns a file off, a broken file is logged
// and does not stop the others, the packaged components' files are there, and `--disable` removes one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, kubectl, kubectlOk, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

let server: TestServer | undefined;
after(async () => {
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

const configMap = (name: string, value = 'blue'): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  color: ${value}\n`;
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
`;

function present(s: TestServer, args: string[]): boolean {
  return kubectl('kubectl', s.kubeconfig, ['get', ...args, '-o', 'name']).code === 0;
}

async function until(what: string, check: () => boolean): Promise<void> {
  await eventually(what, () => assert.ok(check(), what), 20_000, 200);
}

test('manifests folder: apply, prune, .skip, broken files, built-ins, --disable', async () => {
  server = await startServer();
  const s = server;
  const dir = join(s.dir, 'data', 'server', 'manifests');

  // The packaged components are files in the folder, and their objects exist once the server is up.
  await until('the packaged components\' files', () => existsSync(join(dir, 'dns.yaml')) && existsSync(join(dir, 'ingress.yaml')));
  assert.match(readFileSync(join(dir, 'dns.yaml'), 'utf8'), /name: kube-dns/);
  assert.match(readFileSync(join(dir, 'ingress.yaml'), 'utf8'), /kind: IngressClass/);
  await until('the packaged objects and their records', () => present(s, ['service', '-n', 'kube-system', 'kube-dns']) && present(s, ['ingressclass', 'skiff']) && present(s, ['configmap', '-n', 'kube-system', 'skiff-addon-dns']));

  writeFileSync(join(dir, 'app.yaml'), [configMap('app-config'), deployment].join('---\n'));
  await until('the ConfigMap and Deployment of app.yaml', () => present(s, ['configmap', 'app-config']) && present(s, ['deployment', 'web']));
  const lastApplied = kubectlOk('kubectl', s.kubeconfig, ['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}']);
  assert.equal(JSON.parse(lastApplied).kind, 'Deployment');

  writeFileSync(join(dir, 'app.yaml'), deployment.replace('replicas: 1', 'replicas: 2'));
  await until('the ConfigMap dropped from app.yaml to be deleted', () => !present(s, ['configmap', 'app-config']));
  assert.equal(kubectlOk('kubectl', s.kubeconfig, ['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');

  // Written before the marker file: once the marker's object is there, a pass has seen both.
  writeFileSync(join(dir, 'skipped.yaml.skip'), '');
  writeFileSync(join(dir, 'skipped.yaml'), configMap('skipped'));
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: [unclosed\n');
  writeFileSync(join(dir, 'marker.yaml'), configMap('marker'));
  await until('marker.yaml applied next to a broken file', () => present(s, ['configmap', 'marker']));
  assert.equal(present(s, ['configmap', 'skipped']), false);
  await until('the broken file logged with its name', () => /failed to apply manifest file=\S*broken\.yaml error="?document 1/.test(s.logs()));

  await s.stop();
  server = await startServer(['--disable', 'ingress'], s.dir);
  const restarted = server;
  await until('the disabled IngressClass and its file to be deleted', () => !existsSync(join(dir, 'ingress.yaml')) && !present(restarted, ['ingressclass', 'skiff']));
  assert.ok(existsSync(join(dir, 'dns.yaml')));
  assert.ok(present(restarted, ['deployment', 'web']), 'user files stay applied after a restart');
});
