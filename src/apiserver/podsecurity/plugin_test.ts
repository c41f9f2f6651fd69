import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { allResources } from '../../api/resources/index.js';
import { isStatusError } from '../../api/errors.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import type { AdmissionRequest } from '../admission.js';
import { DEFAULT_CONFIGURATION, type PodSecurityConfiguration } from './config.js';
import { podSecurity } from './plugin.js';

const types = allResources();
// Resources the plugin routes on by group and plural, whether served here or not.
const typeOf = (group: string, plural: string): AdmissionRequest['type'] =>
  types.find((t) => t.group === group && t.plural === plural) ?? ({ group, plural, namespaced: true } as AdmissionRequest['type']);

const RESTRICTED_SC = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const pod = (name: string, sc?: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'dev' },
  spec: { containers: [{ name: 'app', image: 'nginx', ...(sc ? { securityContext: sc } : {}) }] },
  ...extra,
});
const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

interface World {
  namespaces: Map<string, KubeObject>;
  pods: KubeObject[];
  config?: PodSecurityConfiguration;
}

function plugin(w: World) {
  return podSecurity({
    configuration: w.config ?? DEFAULT_CONFIGURATION,
    namespace: (n) => w.namespaces.get(n),
    pods: (n) => w.pods.filter((p) => p.metadata.namespace === n),
    clock: new FakeClock(),
    logger: silentLogger,
  });
}

function request(group: string, plural: string, obj: KubeObject, over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return { operation: 'CREATE', type: typeOf(group, plural), subresource: '', namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', obj, old: undefined, user: { name: 'alice', groups: [] }, dryRun: false, warnings: [], ...over };
}

async function outcome(w: World, req: AdmissionRequest): Promise<{ error?: string; code?: number; warnings: string[]; audit: Record<string, string> }> {
  try {
    await plugin(w).validate?.(req);
    return { warnings: req.warnings ?? [], audit: req.auditAnnotations ?? {} };
  } catch (e) {
    if (!isStatusError(e)) throw e;
    return { error: e.status.message ?? '', code: e.code, warnings: req.warnings ?? [], audit: req.auditAnnotations ?? {} };
  }
}

const restrictedDev = (): World => ({ namespaces: new Map([['dev', ns('dev', { 'pod-security.kubernetes.io/enforce': 'restricted' })]]), pods: [] });

test('enforce refuses a violating pod with upstream message and 403', async () => {
  const r = await outcome(restrictedDev(), request('', 'pods', pod('x')));
  assert.equal(r.code, 403);
  assert.equal(
    r.error,
    'pods "x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  assert.deepEqual(r.warnings, [], 'no warning on a refused request');
  assert.equal(r.audit['pod-security.kubernetes.io/enforce-policy'], 'restricted:latest');
});

test('a compliant pod passes enforce; warn and audit labels warn and annotate', async () => {
  assert.deepEqual((await outcome(restrictedDev(), request('', 'pods', pod('ok', RESTRICTED_SC)))).error, undefined);
  const w: World = { namespaces: new Map([['dev', ns('dev', { 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.30' })]]), pods: [] };
  const r = await outcome(w, request('', 'pods', pod('x', { privileged: true })));
  assert.equal(r.error, undefined);
  assert.deepEqual(r.warnings, ['would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)']);
  assert.match(r.audit['pod-security.kubernetes.io/audit-violations'] ?? '', /^would violate PodSecurity "restricted:v1.30": privileged \(container "app" must not set securityContext.privileged=true\), allowPrivilegeEscalation != false/);
});

test('pod controllers get warnings on their template but are never refused', async () => {
  const w: World = { namespaces: new Map([['dev', ns('dev', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' })]]), pods: [] };
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  const controllers: [string, string, KubeObject][] = [
    ['apps', 'deployments', { metadata: { name: 'web', namespace: 'dev' }, spec: { template } }],
    ['apps', 'daemonsets', { metadata: { name: 'web', namespace: 'dev' }, spec: { template } }],
    ['batch', 'cronjobs', { metadata: { name: 'web', namespace: 'dev' }, spec: { jobTemplate: { spec: { template } } } }],
    ['', 'podtemplates', { metadata: { name: 'web', namespace: 'dev' }, template }],
    ['', 'replicationcontrollers', { metadata: { name: 'web', namespace: 'dev' }, spec: { template } }],
  ];
  for (const [group, plural, obj] of controllers) {
    const r = await outcome(w, request(group, plural, obj));
    assert.equal(r.error, undefined, plural);
    assert.equal(r.warnings.length, 1, plural);
    assert.match(r.warnings[0] ?? '', /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "web"/, plural);
  }
  const scale = await outcome(w, request('apps', 'deployments', controllers[0]![2], { subresource: 'scale' }));
  assert.deepEqual(scale.warnings, []);
});

test('pod updates: only significant changes are judged; ignored subresources pass', async () => {
  const old = pod('x');
  const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: 'b' } } };
  assert.equal((await outcome(restrictedDev(), request('', 'pods', relabelled, { operation: 'UPDATE', old }))).error, undefined);
  const newImage: KubeObject = { ...old, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } };
  assert.equal((await outcome(restrictedDev(), request('', 'pods', newImage, { operation: 'UPDATE', old }))).code, 403);
  const compliant = pod('x', RESTRICTED_SC);
  const withDebug: KubeObject = { ...compliant, spec: { ...(compliant.spec as Record<string, unknown>), ephemeralContainers: [{ name: 'debugger', image: 'busybox' }] } };
  const debug = await outcome(restrictedDev(), request('', 'pods', withDebug, { operation: 'UPDATE', old: compliant, subresource: 'ephemeralcontainers' }));
  assert.match(debug.error ?? '', /allowPrivilegeEscalation != false \(container "debugger" must set/);
  assert.equal((await outcome(restrictedDev(), request('', 'pods', newImage, { operation: 'UPDATE', old, subresource: 'status' }))).error, undefined);
});

test('exemptions: namespaces, usernames and runtime classes', async () => {
  const config: PodSecurityConfiguration = { ...DEFAULT_CONFIGURATION, exemptions: { namespaces: ['dev'], usernames: ['ci'], runtimeClasses: ['gvisor'] } };
  const w = { ...restrictedDev(), config };
  assert.equal((await outcome(w, request('', 'pods', pod('x')))).audit['pod-security.kubernetes.io/exempt'], 'namespace');
  const w2: World = { ...restrictedDev(), config: { ...config, exemptions: { ...config.exemptions, namespaces: [] } } };
  assert.equal((await outcome(w2, request('', 'pods', pod('x'), { user: { name: 'ci', groups: [] } }))).audit['pod-security.kubernetes.io/exempt'], 'user');
  const sandboxed = pod('x', undefined, { spec: { runtimeClassName: 'gvisor', containers: [{ name: 'a', image: 'x' }] } });
  assert.equal((await outcome(w2, request('', 'pods', sandboxed))).audit['pod-security.kubernetes.io/exempt'], 'runtimeClass');
  assert.equal((await outcome(w2, request('', 'pods', pod('x')))).code, 403);
});

test('configuration defaults apply to namespaces without labels', async () => {
  const config: PodSecurityConfiguration = { ...DEFAULT_CONFIGURATION, defaults: { ...DEFAULT_CONFIGURATION.defaults, enforce: { level: 'baseline', version: { latest: true } } } };
  const w: World = { namespaces: new Map([['dev', ns('dev')]]), pods: [], config };
  assert.match((await outcome(w, request('', 'pods', pod('x', { privileged: true })))).error ?? '', /violates PodSecurity "baseline:latest": privileged/);
  assert.equal((await outcome(w, request('', 'pods', pod('x')))).error, undefined);
});

test('namespace labels are validated on create and on update when they change', async () => {
  const w: World = { namespaces: new Map(), pods: [] };
  const bad = ns('dev', { 'pod-security.kubernetes.io/enforce': 'strict' });
  const r = await outcome(w, request('', 'namespaces', bad));
  assert.equal(r.code, 422);
  assert.equal(r.error, 'Namespace "dev" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
  const badVersion = ns('dev', { 'pod-security.kubernetes.io/warn-version': '1.25' });
  assert.match((await outcome(w, request('', 'namespaces', badVersion, { operation: 'UPDATE', old: ns('dev') }))).error ?? '', /warn-version\]: Invalid value: "1.25": must be "latest" or "v1.x"/);
  // Already-bad labels do not block unrelated updates.
  const stillBad = { ...bad, metadata: { ...bad.metadata, annotations: { a: 'b' } } };
  assert.equal((await outcome(w, request('', 'namespaces', stillBad, { operation: 'UPDATE', old: bad }))).error, undefined);
});

test('tightening enforce warns about existing pods, grouped and counted', async () => {
  const pods = [pod('b-priv', { privileged: true }), pod('a-priv', { privileged: true }), pod('c-host', undefined, { spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x' }] } }), pod('fine')];
  const w: World = { namespaces: new Map(), pods };
  const r = await outcome(w, request('', 'namespaces', ns('dev', { 'pod-security.kubernetes.io/enforce': 'baseline' }), { operation: 'UPDATE', old: ns('dev') }));
  assert.deepEqual(r.warnings, ['existing pods in namespace "dev" violate the new PodSecurity enforce level "baseline:latest"', 'a-priv (and 1 other pod): privileged', 'c-host: host namespaces']);
  // Relaxing, or keeping the level, checks nothing.
  const relax = await outcome(w, request('', 'namespaces', ns('dev', { 'pod-security.kubernetes.io/enforce': 'baseline' }), { operation: 'UPDATE', old: ns('dev', { 'pod-security.kubernetes.io/enforce': 'restricted' }) }));
  assert.deepEqual(relax.warnings, []);
  // An exempt namespace says its labels are ignored.
  const exempt: World = { ...w, config: { ...DEFAULT_CONFIGURATION, exemptions: { namespaces: ['dev'], usernames: [], runtimeClasses: [] } } };
  const e = await outcome(exempt, request('', 'namespaces', ns('dev', { 'pod-security.kubernetes.io/enforce': 'restricted' }), { operation: 'UPDATE', old: ns('dev') }));
  assert.deepEqual(e.warnings, ['namespace "dev" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored']);
});
