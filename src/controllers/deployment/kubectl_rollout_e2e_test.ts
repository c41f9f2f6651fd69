// Real kubectl's client-side rollout commands against `skiff server` (embedded fake-runtime node):
// status, history with change-cause, undo --to-revision, pause/resume and restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { kubectl, kubectlOk, startServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
const k = (args: string[]): string => kubectlOk('kubectl', server.kubeconfig, args);
const rolloutStatus = (): string => {
  const r = kubectl('kubectl', server.kubeconfig, ['rollout', 'status', 'deploy/web', '--timeout=60s'], { timeoutMs: 70_000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};
const image = (): string => k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
const replicaSetCount = (): number => k(['get', 'rs', '-l', 'app=web', '-o', 'name']).split('\n').filter(Boolean).length;

before(async () => {
  server = await startServer(['--runtime', 'fake', '--node-name', 'controller', '--node-capacity', 'cpu=4,memory=8Gi,pods=110'], undefined, { withAgent: true });
});

after(async () => {
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

test('kubectl rollout status / history / undo / pause / resume / restart', async () => {
  k(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']);
  k(['annotate', 'deploy/web', 'kubernetes.io/change-cause=first']);
  assert.match(rolloutStatus(), /deployment "web" successfully rolled out/);
  k(['set', 'image', 'deploy/web', 'nginx=nginx:1.26']);
  k(['annotate', '--overwrite', 'deploy/web', 'kubernetes.io/change-cause=second']);
  rolloutStatus();
  const history = k(['rollout', 'history', 'deploy/web']);
  assert.match(history, /^1\s+first$/m, history);
  assert.match(history, /^2\s+second$/m, history);
  assert.match(k(['rollout', 'history', 'deploy/web', '--revision=1']), /nginx:1\.25/);

  k(['rollout', 'undo', 'deploy/web', '--to-revision=1']);
  rolloutStatus();
  assert.equal(image(), 'nginx:1.25');
  assert.equal(replicaSetCount(), 2, 'undo reuses the revision-1 ReplicaSet');
  const afterUndo = k(['rollout', 'history', 'deploy/web']);
  assert.match(afterUndo, /^2\s+second$/m, afterUndo);
  assert.match(afterUndo, /^3\s+first$/m, afterUndo);
  assert.equal(k(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '3');

  k(['rollout', 'pause', 'deploy/web']);
  k(['set', 'image', 'deploy/web', 'nginx=nginx:1.27']);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(replicaSetCount(), 2, 'no rollout while paused');
  k(['rollout', 'resume', 'deploy/web']);
  rolloutStatus();
  assert.equal(replicaSetCount(), 3);

  k(['rollout', 'restart', 'deploy/web']);
  rolloutStatus();
  assert.equal(replicaSetCount(), 4);
  assert.equal(k(['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}/{.status.replicas}']), '3/3/3');
});
