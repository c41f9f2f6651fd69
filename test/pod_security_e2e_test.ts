// Pod Security Admission through the real kubectl against `skiff server --disable-agent`, started
// with a --pod-security-admission-config-file that exempts one namespace (as k3s takes it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, kubectl, kubectlOk, type TestServer } from './harness.js';
import { eventually } from './eventually.js';

let server: TestServer;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-psa-'));
  const config = join(dir, 'psa.yaml');
  writeFileSync(
    config,
    `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: privileged
      enforce-version: latest
    exemptions:
      namespaces: [psa-exempt]
`,
  );
  server = await startServer(['--pod-security-admission-config-file', config], dir);
});
after(async () => {
  await server?.stop();
});

const run = (args: string[], input?: string) => kubectl('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });
const ok = (args: string[], input?: string) => kubectlOk('kubectl', server.kubeconfig, args, input === undefined ? {} : { input });

const pod = (name: string, securityContext = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: skiff.local/nginx:1.22
${securityContext}`;

const RESTRICTED_SC = `    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
      runAsNonRoot: true
      runAsUser: 1000
      seccompProfile: {type: RuntimeDefault}
`;
const PRIVILEGED_SC = `    securityContext:
      privileged: true
`;

const RESTRICTED_VIOLATIONS =
  'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

test('restricted namespace: a non-compliant pod is refused with upstream message, a compliant one created', () => {
  ok(['create', 'namespace', 'psa-restricted']);
  ok(['label', 'namespace', 'psa-restricted', 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted']);
  const bad = run(['-n', 'psa-restricted', 'apply', '-f', '-'], pod('bad'));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "bad" is forbidden: violates PodSecurity "restricted:latest": /);
  assert.ok(bad.stderr.includes(`violates PodSecurity "restricted:latest": ${RESTRICTED_VIOLATIONS}`), bad.stderr);
  const good = run(['-n', 'psa-restricted', 'apply', '-f', '-'], pod('good', RESTRICTED_SC));
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /pod\/good created/);
  assert.doesNotMatch(good.stderr, /Warning/);
});

test('restricted namespace: a Deployment with a non-compliant template is created, with a warning', async () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: skiff.local/nginx:1.22
`;
  const r = run(['-n', 'psa-restricted', 'apply', '-f', '-'], deployment);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /deployment.apps\/web created/);
  assert.ok(r.stderr.includes(`Warning: would violate PodSecurity "restricted:latest": ${RESTRICTED_VIOLATIONS}`), r.stderr);
  // Enforce applies to the pods the ReplicaSet makes, not to the template.
  await eventually('the ReplicaSet to report its refused pods', () => {
    const events = ok(['-n', 'psa-restricted', 'get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });
  assert.equal(ok(['-n', 'psa-restricted', 'get', 'pods', '-l', 'app=web', '-o', 'name']), '');
});

test('warn namespace: pods are created with a warning; tightening enforce lists the existing violators', () => {
  ok(['create', 'namespace', 'psa-warn']);
  ok(['label', 'namespace', 'psa-warn', 'pod-security.kubernetes.io/warn=baseline']);
  const r = run(['-n', 'psa-warn', 'apply', '-f', '-'], pod('priv', PRIVILEGED_SC));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pod\/priv created/);
  assert.ok(r.stderr.includes('Warning: would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)'), r.stderr);
  const label = run(['label', 'namespace', 'psa-warn', 'pod-security.kubernetes.io/enforce=baseline']);
  assert.equal(label.code, 0, label.stderr);
  assert.ok(label.stderr.includes('Warning: existing pods in namespace "psa-warn" violate the new PodSecurity enforce level "baseline:latest"'), label.stderr);
  assert.ok(label.stderr.includes('Warning: priv: privileged'), label.stderr);
});

test('namespace labels with no such level or version are refused', () => {
  const r = run(['label', 'namespace', 'psa-warn', 'pod-security.kubernetes.io/audit=strict']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /The Namespace "psa-warn" is invalid: metadata.labels\[pod-security.kubernetes.io\/audit\]: Invalid value: "strict": must be one of privileged, baseline, restricted/);
  const v = run(['create', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: psa-bad\n  labels: {pod-security.kubernetes.io/enforce-version: "1.32"}\n');
  assert.notEqual(v.code, 0);
  assert.match(v.stderr, /Invalid value: "1.32": must be "latest" or "v1.x"/);
});

test('exempt namespace (from the config file): labels are ignored, with a warning saying so', () => {
  ok(['create', 'namespace', 'psa-exempt']);
  const label = run(['label', 'namespace', 'psa-exempt', 'pod-security.kubernetes.io/enforce=restricted']);
  assert.equal(label.code, 0, label.stderr);
  assert.ok(label.stderr.includes('Warning: namespace "psa-exempt" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored'), label.stderr);
  const r = run(['-n', 'psa-exempt', 'apply', '-f', '-'], pod('priv', PRIVILEGED_SC));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pod\/priv created/);
});
