// @kubernetes/client-node against `skiff server --disable-agent`: an informer (list + watch) sees
// every change in order with the right resourceVersions, a watch from an old resourceVersion
// replays, one from a compacted resourceVersion gets 410 and the informer re-lists, and
// limit/continue paging stays consistent while writes happen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import type * as K8s from '@kubernetes/client-node';
import { startServer, type TestServer } from './harness.js';

const k8s: typeof K8s = await import('@kubernetes/client-node');

let server: TestServer;
let kc: K8s.KubeConfig;
let core: K8s.CoreV1Api;

before(async () => {
  server = await startServer();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
after(async () => {
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

/** Seen is one informer callback or watch event, reduced to what the assertions compare. */
interface Seen {
  type: string;
  name: string;
  rv: number;
}

const seen = (type: string, o: K8s.KubernetesObject): Seen => ({ type, name: o.metadata?.name ?? '', rv: Number(o.metadata?.resourceVersion) });

/** waitUntil polls cond every 20 ms and fails after ms milliseconds with what describe() says. */
async function waitUntil(cond: () => boolean, ms: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** ROOT_CA is the ConfigMap the control plane puts in every namespace; the tests count only their own. */
const ROOT_CA = 'kube-root-ca.crt';
const own = (o: K8s.KubernetesObject): boolean => o.metadata?.name !== ROOT_CA;

/** createNamespace creates a namespace and waits for the control plane's kube-root-ca.crt in it, so what follows sees only the test's writes. */
async function createNamespace(name: string): Promise<void> {
  await core.createNamespace({ body: { metadata: { name } } });
  const has = async (): Promise<boolean> => core.readNamespacedConfigMap({ namespace: name, name: ROOT_CA }).then(() => true, () => false);
  const deadline = Date.now() + 10_000;
  while (!(await has())) {
    if (Date.now() > deadline) assert.fail(`no ${ROOT_CA} in ${name} after 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function createConfigMap(namespace: string, name: string, data: Record<string, string> = {}): Promise<K8s.V1ConfigMap> {
  return core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data } });
}

/** startInformer runs a configmap informer in namespace and records add/update/delete callbacks. */
async function startInformer(namespace: string): Promise<{ informer: K8s.Informer<K8s.V1ConfigMap> & K8s.ObjectCache<K8s.V1ConfigMap>; events: Seen[]; errors: unknown[] }> {
  const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
  const events: Seen[] = [];
  const errors: unknown[] = [];
  informer.on('add', (o) => own(o) && events.push(seen('add', o)));
  informer.on('update', (o) => own(o) && events.push(seen('update', o)));
  informer.on('delete', (o) => own(o) && events.push(seen('delete', o)));
  informer.on('error', (e) => errors.push(e));
  await informer.start();
  return { informer, events, errors };
}

/** churnConfigMaps creates count configmaps in namespace over 16 keep-alive HTTPS connections; resolves with the 201 count. */
async function churnConfigMaps(namespace: string, count: number): Promise<number> {
  const tls: RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: tls.ca, cert: tls.cert, key: tls.key });
  const url = new URL(kc.getCurrentCluster()?.server ?? '');
  const post = (name: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: `/api/v1/namespaces/${namespace}/configmaps`, agent, timeout: 10_000, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy(new Error('create timed out')));
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (next < count) if ((await post(`c-${next++}`)) === 201) ok++;
  };
  try {
    await Promise.all(Array.from({ length: 16 }, worker));
  } finally {
    agent.destroy();
  }
  return ok;
}

/** watchRaw opens a client-node watch from rv and collects its events until stopped. */
async function watchRaw(path: string, rv: string): Promise<{ events: { type: string; obj: K8s.KubernetesObject & { code?: number } }[]; done: Promise<unknown>; stop: () => void }> {
  const events: { type: string; obj: K8s.KubernetesObject & { code?: number } }[] = [];
  let finished: (e: unknown) => void = () => {};
  const done = new Promise<unknown>((r) => (finished = r));
  const ctl = await new k8s.Watch(kc).watch(path, { resourceVersion: rv }, (type, obj: K8s.KubernetesObject & { code?: number }) => events.push({ type, obj }), (e: unknown) => finished(e ?? null));
  return { events, done, stop: () => ctl.abort() };
}

/** rvOf reads the informer's last seen resourceVersion (ListWatch has it; the Informer type does not say so). */
function rvOf(informer: object): string {
  const f = (informer as { latestResourceVersion?: () => string }).latestResourceVersion;
  assert.ok(f, 'client-node ListWatch has latestResourceVersion()');
  return f.call(informer);
}

let orderNamespaceStartRV = '';
let orderExpected: Seen[] = [];

test('informer sees creates, updates and deletes in order with their resourceVersions', async () => {
  const ns = 'informer-order';
  await createNamespace(ns);
  orderNamespaceStartRV = (await core.listNamespacedConfigMap({ namespace: ns })).metadata?.resourceVersion ?? '';
  const { informer, events, errors } = await startInformer(ns);
  try {
    const expected: Seen[] = [];
    // Sequential writes: the order of acknowledgements is the order of events.
    for (let i = 0; i < 30; i++) expected.push(seen('add', await createConfigMap(ns, `cm-${i}`, { v: '0' })));
    for (let i = 0; i < 30; i += 3) {
      const cur = await core.readNamespacedConfigMap({ namespace: ns, name: `cm-${i}` });
      expected.push(seen('update', await core.replaceNamespacedConfigMap({ namespace: ns, name: `cm-${i}`, body: { ...cur, data: { v: '1' } } })));
    }
    for (let i = 1; i < 30; i += 5) {
      await core.deleteNamespacedConfigMap({ namespace: ns, name: `cm-${i}` });
      expected.push({ type: 'delete', name: `cm-${i}`, rv: NaN });
    }
    // A concurrent burst: events must come in resourceVersion order, one per acknowledged create.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => createConfigMap(ns, `burst-${i}`)));
    const burstSeen = burst.map((o) => seen('add', o)).sort((a, b) => a.rv - b.rv);
    expected.push(...burstSeen);
    await waitUntil(() => events.length >= expected.length, 10_000, () => `${events.length} of ${expected.length} events`);
    assert.deepEqual(errors, []);
    assert.equal(events.length, expected.length, 'no extra events');
    const got = events.map((e, i) => (expected[i]?.type === 'delete' ? { ...e, rv: NaN } : e));
    assert.deepEqual(got, expected);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.rv > events[i - 1]!.rv, `resourceVersions increase: ${JSON.stringify(events.slice(i - 1, i + 1))}`);
    assert.deepEqual(informer.list(ns).filter(own).map((o) => o.metadata?.name).sort(), [...new Set(expected.filter((e) => e.type === 'add').map((e) => e.name))].filter((n) => !expected.some((e) => e.type === 'delete' && e.name === n)).sort());
    orderExpected = events;
  } finally {
    await informer.stop();
  }
});

test('a watch from an old resourceVersion replays every change since', async () => {
  assert.ok(orderNamespaceStartRV && orderExpected.length > 0, 'runs after the ordering test');
  const w = await watchRaw(`/api/v1/namespaces/informer-order/configmaps`, orderNamespaceStartRV);
  try {
    await waitUntil(() => w.events.length >= orderExpected.length, 10_000, () => `${w.events.length} of ${orderExpected.length} replayed`);
    const kinds: Record<string, string> = { ADDED: 'add', MODIFIED: 'update', DELETED: 'delete' };
    assert.deepEqual(
      w.events.map((e) => seen(kinds[e.type] ?? e.type, e.obj)),
      orderExpected,
    );
  } finally {
    w.stop();
  }
});

test('a watch from a compacted resourceVersion gets 410; the informer re-lists and continues', async () => {
  const ns = 'informer-gone';
  const churn = 'informer-churn';
  await createNamespace(ns);
  await createNamespace(churn);
  await createConfigMap(ns, 'a');
  const { informer, events, errors } = await startInformer(ns);
  try {
    await waitUntil(() => events.some((e) => e.name === 'a'), 5000, () => 'initial add of a');
    const oldRV = rvOf(informer);
    await informer.stop();
    // While the informer is away: b appears, a goes, and more than the watch cache's 2000 events
    // for configmaps push oldRV out of the window.
    await createConfigMap(ns, 'b');
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'a' });
    // The churn goes over keep-alive connections: client-node opens a new TLS connection per request.
    const total = 2100;
    const acked = await churnConfigMaps(churn, total);
    assert.equal(acked, total);

    const w = await watchRaw(`/api/v1/namespaces/${ns}/configmaps`, oldRV);
    const doneErr = await Promise.race([w.done, new Promise((r) => setTimeout(() => r('still open'), 5000))]);
    w.stop();
    const gone = w.events.find((e) => e.type === 'ERROR')?.obj.code ?? (doneErr as { statusCode?: number } | null)?.statusCode;
    assert.equal(gone, 410, `watch from ${oldRV}: events ${JSON.stringify(w.events)}, done ${String(doneErr)}`);

    events.length = 0;
    await informer.start(); // resumes from oldRV: 410, then list + watch
    await waitUntil(() => events.length >= 2, 10_000, () => JSON.stringify(events));
    assert.deepEqual(events.map((e) => `${e.type} ${e.name}`).sort(), ['add b', 'delete a']);
    await createConfigMap(ns, 'c');
    await waitUntil(() => events.some((e) => e.name === 'c'), 10_000, () => JSON.stringify(events));
    assert.deepEqual(informer.list(ns).filter(own).map((o) => o.metadata?.name).sort(), ['b', 'c']);
    assert.ok(Number(rvOf(informer)) > Number(oldRV) + total);
    // Only the informer's own stop() may have reported an error (the aborted watch).
    assert.ok(errors.length <= 1, `errors: ${errors.map(String).join('; ')}`);
  } finally {
    await informer.stop();
  }
});

test('limit/continue pages a consistent snapshot while writes happen', async () => {
  const ns = 'informer-paging';
  await createNamespace(ns);
  const names = Array.from({ length: 60 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
  for (const n of names) await createConfigMap(ns, n);
  const first = await core.listNamespacedConfigMap({ namespace: ns, limit: 25 });
  const snapshotRV = first.metadata?.resourceVersion;
  assert.equal(first.items.length, 25);
  assert.equal(first.metadata?.remainingItemCount, 36, 'the 60 and kube-root-ca.crt');
  assert.ok(first.metadata?._continue, 'first page has a continue token');
  const got = first.items.map((o) => o.metadata?.name ?? '');
  let token: string | undefined = first.metadata?._continue;
  let pages = 0;
  for (let page = 0; token && page < 10; page++) {
    // Writes between pages: new names sorting inside and after the range, deletes of unread ones.
    await createConfigMap(ns, `p-${String(30 + page).padStart(2, '0')}x`);
    await createConfigMap(ns, `z-${page}`);
    await core.deleteNamespacedConfigMap({ namespace: ns, name: names[59 - page]! });
    pages++;
    const r = await core.listNamespacedConfigMap({ namespace: ns, limit: 25, _continue: token });
    assert.equal(r.metadata?.resourceVersion, snapshotRV, 'every page is read at the first page\'s resourceVersion');
    got.push(...r.items.map((o) => o.metadata?.name ?? ''));
    token = r.metadata?._continue;
  }
  assert.equal(token, undefined, 'the last page has no continue token');
  assert.deepEqual(got, [ROOT_CA, ...names], 'pages add up to the snapshot, in order, without the writes made meanwhile');
  const now = await core.listNamespacedConfigMap({ namespace: ns });
  assert.equal(now.items.length, 61 + pages, 'a fresh list sees the writes (two creates and one delete per page)');
});
