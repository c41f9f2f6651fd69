// kubectl (1.32, and 1.20 when installed) against `skiff server --disable-agent`: the tutorial's
// manifests and the everyday verbs, through the generated kubeconfig.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, kubectlBinaries, kubectl, kubectlOk, MANIFESTS, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const podManifest = (name: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {name: letschat}
spec:
  containers:
  - name: letschat
    image: sdelements/lets-chat
`;

for (const { name: version, bin } of kubectlBinaries()) {
  const ns = `kubectl-${version.replace('.', '-')}`;
  const k = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}): string => kubectlOk(bin, server.kubeconfig, ['-n', ns, ...args], opts);

  test(`kubectl ${version}: version, api-resources, namespaces`, () => {
    const v = kubectlOk(bin, server.kubeconfig, ['version', '-o', 'json']);
    assert.match(JSON.parse(v).serverVersion.gitVersion, /^v1\.32\./);
    const res = kubectlOk(bin, server.kubeconfig, ['api-resources']);
    for (const want of [/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^pods\s+po\s+v1\s+true\s+Pod$/m, /^ingresses\s+ing\s+networking.k8s.io\/v1\s+true\s+Ingress$/m, /^nodes\s+no\s+v1\s+false\s+Node$/m]) {
      assert.match(res, want);
    }
    kubectlOk(bin, server.kubeconfig, ['create', 'namespace', ns]);
    const nsList = kubectlOk(bin, server.kubeconfig, ['get', 'ns']);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ns]) assert.match(nsList, new RegExp(`^${n}\\s+Active\\s`, 'm'));
  });

  test(`kubectl ${version}: apply the tutorial's manifests, again unchanged, then changed`, () => {
    const files = readdirSync(MANIFESTS).filter((f) => f.endsWith('.yaml')).sort();
    for (const f of files) assert.match(k(['apply', '-f', join(MANIFESTS, f)]), /created|configured/);
    for (const f of ['letschat-deployment.yaml', 'mongo-deployment.yaml', 'mongo-srv.yaml', 'letschat-srv.yaml']) {
      assert.match(k(['apply', '-f', join(MANIFESTS, f)]), /unchanged/);
    }
    const changed = readFileSync(join(MANIFESTS, 'letschat-deployment.yaml'), 'utf8').replace('image: sdelements/lets-chat', 'image: sdelements/lets-chat:0.4.8');
    const tmp = join(server.dir, `changed-${ns}.yaml`);
    writeFileSync(tmp, changed);
    assert.match(k(['apply', '-f', tmp]), /deployment.apps\/letschat configured/);
    assert.equal(k(['get', 'deploy', 'letschat', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}']), 'sdelements/lets-chat:0.4.8 2');
  });

  test(`kubectl ${version}: get -o wide prints the tutorial's columns`, () => {
    k(['apply', '-f', '-'], { input: podManifest('letschat-manual') });
    const out = k(['get', 'deploy,po', '-o', 'wide']);
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    // No nodes in this suite (--disable-agent): the ReplicaSet's pod stays Pending.
    assert.match(out, /^deployment.apps\/letschat\s+0\/1\s+1\s+0\s+\S+\s+letschat\s+sdelements\/lets-chat:0.4.8\s+name=letschat$/m);
    assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
    assert.match(out, /^pod\/letschat-manual\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s+<none>\s+<none>$/m);
    const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: letschat-manual}
spec:
  replicas: 2
  selector: {matchLabels: {name: letschat-rs}}
  template:
    metadata: {labels: {name: letschat-rs}}
    spec: {containers: [{name: letschat, image: sdelements/lets-chat}]}
`;
    k(['apply', '-f', '-'], { input: rs });
    assert.match(k(['get', 'rs', '-o', 'wide']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
  });

  test(`kubectl ${version}: services get a ClusterIP and a NodePort; ingress lists its host`, () => {
    const svc = k(['get', 'svc']);
    assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    const mongo = /^mongo\s+ClusterIP\s+(10\.43\.\d+\.\d+)\s+<none>\s+27017\/TCP\s/m.exec(svc);
    assert.ok(mongo, svc);
    const lc = /^letschat\s+NodePort\s+(10\.43\.\d+\.\d+)\s+<none>\s+8080:(\d+)\/TCP\s/m.exec(svc);
    assert.ok(lc, svc);
    const nodePort = Number(lc[2]);
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    const ing = k(['get', 'ingress']);
    assert.match(ing, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/m);
    assert.match(ing, /^ingress-letschat\s+\S+\s+www.letschat.com\s+\S*\s*80\s/m);
    const def = kubectlOk(bin, server.kubeconfig, ['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(def, '10.43.0.1');
  });

  test(`kubectl ${version}: scale, describe, label, annotate`, () => {
    assert.match(k(['scale', 'deploy', 'letschat', '--replicas=10']), /scaled/);
    assert.equal(k(['get', 'deploy', 'letschat', '-o', 'jsonpath={.spec.replicas}']), '10');
    const d = k(['describe', 'deploy', 'letschat']);
    assert.match(d, /^Name:\s+letschat$/m);
    assert.match(d, /^Replicas:\s+10 desired/m);
    assert.match(d, /^StrategyType:\s+RollingUpdate$/m);
    k(['label', 'deploy', 'letschat', 'tier=frontend']);
    k(['annotate', 'deploy', 'letschat', 'note=hello']);
    assert.equal(k(['get', 'deploy', 'letschat', '-o', 'jsonpath={.metadata.labels.tier}/{.metadata.annotations.note}']), 'frontend/hello');
    k(['label', 'deploy', 'letschat', 'tier-']);
    assert.equal(k(['get', 'deploy', '-l', 'tier=frontend', '-o', 'name']), '');
  });

  test(`kubectl ${version}: patch with all three types, and edit`, () => {
    k(['patch', 'deploy', 'letschat', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"letschat","image":"lets-chat:v2"}]}}}}']);
    k(['patch', 'deploy', 'letschat', '--type=merge', '-p', '{"metadata":{"labels":{"patched":"merge"}}}']);
    k(['patch', 'deploy', 'letschat', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
    assert.equal(k(['get', 'deploy', 'letschat', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.labels.patched} {.spec.replicas}']), 'lets-chat:v2 merge 3');
    const bad = kubectl(bin, server.kubeconfig, ['-n', ns, 'patch', 'deploy', 'letschat', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":4}]']);
    assert.notEqual(bad.code, 0);
    k(['edit', 'deploy', 'letschat'], { env: { EDITOR: `sed -i -e s/replicas:\\ 3/replicas:\\ 5/`, KUBE_EDITOR: `sed -i -e s/replicas:\\ 3/replicas:\\ 5/` } });
    assert.equal(k(['get', 'deploy', 'letschat', '-o', 'jsonpath={.spec.replicas}']), '5');
  });

  test(`kubectl ${version}: explain`, () => {
    const out = kubectlOk(bin, server.kubeconfig, ['explain', 'deployment.spec']);
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /replicas\s+<integer>/);
    assert.match(out, /template\s+<Object>\s+-required-|template\s+<PodTemplateSpec> -required-/);
  });

  test(`kubectl ${version}: get -w sees changes`, async () => {
    const child = spawn(bin, ['-n', ns, 'get', 'deploy', 'mongo', '-w', '--output-watch-events'], { env: { ...process.env, KUBECONFIG: server.kubeconfig } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const until = async (re: RegExp): Promise<void> => {
        const deadline = Date.now() + 15_000;
        while (!re.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.match(out, re);
      };
      await until(/ADDED\s+mongo/);
      k(['scale', 'deploy', 'mongo', '--replicas=4']);
      await until(/MODIFIED\s+mongo/);
      k(['delete', 'deploy', 'mongo']);
      await until(/DELETED\s+mongo/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test(`kubectl ${version}: delete, and errors kubectl users see`, () => {
    assert.match(k(['delete', 'pod', 'letschat-manual']), /pod "letschat-manual" deleted/);
    const missing = kubectl(bin, server.kubeconfig, ['-n', ns, 'get', 'deploy', 'nope']);
    assert.match(missing.stderr, /Error from server \(NotFound\): deployments.apps "nope" not found/);
    const invalid = kubectl(bin, server.kubeconfig, ['-n', ns, 'create', 'deployment', 'Bad_Name', '--image=x']);
    assert.match(invalid.stderr, /is invalid/);
    const dup = kubectl(bin, server.kubeconfig, ['-n', ns, 'create', 'configmap', 'dup']);
    assert.equal(dup.code, 0);
    const dup2 = kubectl(bin, server.kubeconfig, ['-n', ns, 'create', 'configmap', 'dup']);
    assert.match(dup2.stderr, /configmaps "dup" already exists/);
    k(['delete', '-f', join(MANIFESTS, 'ingress.yaml')]);
    assert.equal(k(['get', 'ingress', '-o', 'name']), '');
  });
}

test('health endpoints: /readyz?verbose lists the checks, each check has its own path, exclude skips one', () => {
  const verbose = kubectlOk('kubectl', server.kubeconfig, ['get', '--raw', '/readyz?verbose']);
  for (const line of ['[+]ping ok', '[+]etcd ok', '[+]poststarthook/rbac/bootstrap-roles ok', '[+]shutdown ok', 'readyz check passed']) assert.ok(verbose.includes(line), verbose);
  const live = kubectlOk('kubectl', server.kubeconfig, ['get', '--raw', '/livez?verbose&exclude=etcd&exclude=nope']);
  assert.ok(live.includes('[+]etcd excluded: ok') && !live.includes('shutdown') && live.includes('warn: some health checks cannot be excluded: no matches for "nope"'), live);
  assert.equal(kubectlOk('kubectl', server.kubeconfig, ['get', '--raw', '/livez/ping']), 'ok');
  assert.equal(kubectlOk('kubectl', server.kubeconfig, ['get', '--raw', '/readyz/etcd']), 'ok');
  assert.equal(kubectlOk('kubectl', server.kubeconfig, ['get', '--raw', '/readyz']), 'ok');
  const missing = kubectl('kubectl', server.kubeconfig, ['get', '--raw', '/livez/nope']);
  assert.notEqual(missing.code, 0);
});

test('kubectl get componentstatuses: scheduler, controller-manager and etcd-0 healthy, with the deprecation warning', async () => {
  await eventually('components healthy', () => {
    const r = kubectl('kubectl', server.kubeconfig, ['get', 'cs']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^scheduler\s+Healthy\s+ok/m);
    assert.match(r.stdout, /^controller-manager\s+Healthy\s+ok/m);
    assert.match(r.stdout, /^etcd-0\s+Healthy\s+ok/m);
    assert.match(r.stderr, /Warning: v1 ComponentStatus is deprecated in v1\.19\+/);
  });
  assert.equal(kubectlOk('kubectl', server.kubeconfig, ['get', 'componentstatus', 'etcd-0', '-o', 'jsonpath={.conditions[0].type}={.conditions[0].status}']), 'Healthy=True');
});
