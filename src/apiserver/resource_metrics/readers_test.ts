import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { allResources } from '../../api/resources/index.js';
import type { KubeObject } from '../../api/types.js';
import { isStatusError } from '../../api/errors.js';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { ApiCore } from '../core.js';
import { encodeObject, objectKey } from '../object_store.js';
import type { Scope } from '../scope.js';
import { nodeMetricsReader, podMetricsReader } from './readers.js';
import { Scraper } from './scraper.js';
import { MetricsStore } from './store.js';
import { nodeMetricsType, podMetricsType, resourceMetricsTypes } from './types.js';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { zone: 'a' } }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } } });
const pod = (ns: string, name: string, phase: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns, name, labels }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }] }, status: { phase } });

/** kubeletText is /metrics/resource of node n1 at time t (s): CPU grows by 0.1 core, memory stays. */
function kubeletText(t: number): string {
  const ms = 1_700_000_000_000 + t * 1000;
  const lines = [`node_cpu_usage_seconds_total ${100 + t * 0.5} ${ms}`, `node_memory_working_set_bytes 1.073741824e+09 ${ms}`];
  for (const [ns, name] of [['default', 'web'], ['default', 'db'], ['other', 'job']]) {
    lines.push(`container_cpu_usage_seconds_total{container="app",namespace="${ns}",pod="${name}"} ${1 + t * 0.1} ${ms}`);
    lines.push(`container_memory_working_set_bytes{container="app",namespace="${ns}",pod="${name}"} 4.194304e+06 ${ms}`);
  }
  return lines.join('\n') + '\n';
}

async function setup(): Promise<{ core: ApiCore; scraper: Scraper; scope: (type: typeof podMetricsType, ns?: string) => Scope; tick: (t: number) => Promise<void> }> {
  const backend = new MemoryBackend();
  const core = new ApiCore({ backend, resources: [...allResources(), ...resourceMetricsTypes()], clock: realClock, logger: silentLogger, admission: [] });
  const nodes = core.registry.lookup('', 'v1', 'nodes')!.type;
  const pods = core.registry.lookup('', 'v1', 'pods')!.type;
  await backend.create(objectKey(nodes, '', 'n1'), encodeObject(node('n1')));
  await backend.create(objectKey(pods, 'default', 'web'), encodeObject(pod('default', 'web', 'Running', { app: 'web' })));
  await backend.create(objectKey(pods, 'default', 'db'), encodeObject(pod('default', 'db', 'Running', { app: 'db' })));
  await backend.create(objectKey(pods, 'other', 'job'), encodeObject(pod('other', 'job', 'Succeeded')));
  await core.start();
  const store = new MetricsStore(15_000);
  const opts = { core, store, nodes, pods, now: () => Date.UTC(2026, 0, 1) };
  core.readers.set(nodeMetricsType, nodeMetricsReader(opts));
  core.readers.set(podMetricsType, podMetricsReader(opts));
  let t = 0;
  const scraper = new Scraper({ store, nodes: () => [node('n1')], kubelet: { certPem: '', keyPem: '' }, logger: silentLogger, fetch: async () => kubeletText(t) });
  const scope = (type: typeof podMetricsType, ns = ''): Scope => ({ served: core.registry.lookup('metrics.k8s.io', 'v1beta1', type.plural)!, namespace: ns, subresource: '', user: { name: 'admin', groups: [] }, dryRun: false, fieldValidation: 'Strict', warnings: [] });
  const tick = async (at: number): Promise<void> => {
    t = at;
    await scraper.scrapeOnce(new AbortController().signal);
  };
  return { core, scraper, scope, tick };
}

async function statusOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isStatusError(e)) return { code: e.status.code, message: e.status.message ?? '' };
    throw e;
  }
  throw new Error('no error');
}

test('NodeMetrics and PodMetrics come from two scrapes, with metrics-server errors before', async () => {
  const { core, scope, tick } = await setup();
  try {
    await tick(0);
    assert.deepEqual(await statusOf(core.get(scope(nodeMetricsType), 'n1')), { code: 404, message: 'nodemetrics.metrics.k8s.io "n1" not found' });
    assert.deepEqual(await statusOf(core.get(scope(podMetricsType, 'default'), 'web')), { code: 404, message: 'podmetrics.metrics.k8s.io "default/web" not found' });
    await tick(15);
    const nm = await core.get(scope(nodeMetricsType), 'n1');
    assert.deepEqual(nm, {
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { zone: 'a' } },
      timestamp: '2023-11-14T22:13:35Z',
      window: '15s',
      usage: { cpu: '500m', memory: '1Gi' },
    });
    const pm = await core.get(scope(podMetricsType, 'default'), 'web');
    assert.deepEqual(pm.metadata, { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web' } });
    assert.deepEqual((pm as { containers?: unknown }).containers, [{ name: 'app', usage: { cpu: '100m', memory: '4Mi' } }]);
    assert.deepEqual(await statusOf(core.get(scope(podMetricsType, 'default'), 'nope')), { code: 404, message: 'pods "nope" not found' });
    assert.deepEqual(await statusOf(core.get(scope(nodeMetricsType), 'nope')), { code: 404, message: 'nodes "nope" not found' });
    // Pods that are not Running are left out, as metrics-server's pod informer does.
    const all = await core.list(scope(podMetricsType), {});
    assert.deepEqual(all.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`), ['default/db', 'default/web']);
    const selected = await core.list(scope(podMetricsType, 'default'), { labelSelector: 'app=web' });
    assert.deepEqual(selected.items.map((i) => i.metadata.name), ['web']);
    const byName = await core.list(scope(podMetricsType), { fieldSelector: 'metadata.name=db' });
    assert.deepEqual(byName.items.map((i) => i.metadata.name), ['db']);
    const nodes = await core.list(scope(nodeMetricsType), { labelSelector: 'zone=b' });
    assert.equal(nodes.items.length, 0);
  } finally {
    core.stop();
  }
});
