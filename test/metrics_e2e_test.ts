// kubectl 1.32 against `skiff server --disable-agent`: `get --raw /metrics` serves kube-apiserver's
// metrics, request counts move with requests, and RBAC guards /metrics as a non-resource URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, kubectl, kubectlOk, type TestServer } from './harness.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const k = (args: string[]): string => kubectlOk('kubectl', server.kubeconfig, args);

/** configMapCreates is the apiserver_request_total sample for ConfigMap creates answered 201 (0 when absent). */
function configMapCreates(metrics: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('apiserver_request_total{verb="POST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",code="201"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('get --raw /metrics: request counts move, storage and process metrics are there', () => {
  k(['create', 'namespace', 'metrics-e2e']);
  const before = configMapCreates(k(['get', '--raw', '/metrics']));
  for (let i = 0; i < 3; i++) k(['-n', 'metrics-e2e', 'create', 'configmap', `cm-${i}`, '--from-literal=a=b']);
  const out = k(['get', '--raw', '/metrics']);
  assert.equal(configMapCreates(out), before + 3);
  assert.match(out, /^# TYPE apiserver_request_duration_seconds histogram$/m);
  assert.match(out, /^apiserver_request_duration_seconds_bucket\{le="0.005",verb="POST",dry_run="",group="",version="v1",resource="configmaps",/m);
  assert.match(out, /^apiserver_request_total\{verb="GET",dry_run="",group="",version="",resource="",subresource="\/metrics",scope="",component="apiserver",code="200"\} \d+$/m);
  assert.match(out, /^apiserver_current_inflight_requests\{request_kind="readOnly"\} \d+$/m);
  assert.match(out, /^etcd_request_duration_seconds_count\{operation="create",type="configmaps"\} [1-9]\d*$/m);
  assert.match(out, /^apiserver_storage_objects\{resource="namespaces"\} [1-9]\d*$/m);
  assert.match(out, /^apiserver_storage_objects\{resource="clusterroles.rbac.authorization.k8s.io"\} [1-9]\d*$/m);
  assert.match(out, /^process_resident_memory_bytes \d/m);
});

test('/metrics is forbidden without a grant and allowed through system:monitoring', () => {
  const denied = kubectl('kubectl', server.kubeconfig, ['get', '--raw', '/metrics', '--as=metrics-reader']);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /Forbidden|forbidden/);
  // The bootstrap binding grants the system:monitoring group; a user needs a binding of their own.
  assert.match(k(['get', '--raw', '/metrics', '--as=someone', '--as-group=system:monitoring']), /^apiserver_request_total\{/m);
  k(['create', 'clusterrolebinding', 'metrics-reader', '--clusterrole=system:monitoring', '--user=metrics-reader']);
  let ok = '';
  // RBAC follows its informer: the binding is seen within moments.
  for (let i = 0; i < 50 && !ok; i++) {
    const r = kubectl('kubectl', server.kubeconfig, ['get', '--raw', '/metrics', '--as=metrics-reader']);
    if (r.code === 0) ok = r.stdout;
    else spinWait(100);
  }
  assert.match(ok, /^apiserver_request_total\{verb="GET",.*subresource="\/metrics",.*code="403"\} [1-9]\d*$/m, 'the refused scrape was counted as a 403');
});

test('a kubectl watch shows in apiserver_longrunning_requests while it is open', async () => {
  const watching = (): number => {
    const line = k(['get', '--raw', '/metrics']).split('\n').find((l) => l.startsWith('apiserver_longrunning_requests{verb="WATCH",group="",version="v1",resource="configmaps",subresource="",scope="namespace",'));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, '-n', 'metrics-e2e', 'get', 'configmaps', '--watch'], { stdio: 'ignore' });
  try {
    let n = 0;
    for (let i = 0; i < 50 && n === 0; i++) {
      n = watching();
      if (n === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(n, 1);
  } finally {
    child.kill('SIGTERM');
  }
  let n = 1;
  for (let i = 0; i < 50 && n !== 0; i++) {
    n = watching();
    if (n !== 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(n, 0, 'the gauge falls back once the watch ends');
});

/** spinWait blocks for ms (the kubectl helpers are synchronous too). */
function spinWait(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
