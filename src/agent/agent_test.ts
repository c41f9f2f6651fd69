import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeApi } from '../client/testing/fake_api_test_helper.js';
import { R, type Client } from '../client/client.js';
import type { KubeObject } from '../api/types.js';
import { arr, str } from '../api/object.js';
import { FakeClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { Agent, type AgentOptions } from './agent.js';
import { FakeRuntime, FAKE_EXIT_CODE_ANNOTATION } from './runtime/fake.js';
import type { SystemInfo } from './node/system_info.js';

const system: SystemInfo = {
  hostname: 'box', kernelVersion: '6.1.0-test', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64',
  machineID: 'm', systemUUID: 'u', bootID: 'b', defaultIPv4: '192.168.1.9', cpus: 8, memoryBytes: 16 * 2 ** 30,
};

/** until polls cond (bounded) while the in-process API and the agent run. */
async function until<T>(what: string, cond: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await cond();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function setup(extra: Partial<AgentOptions> = {}) {
  const api = await fakeApi();
  const clock = new FakeClock(Date.parse('2024-01-02T03:04:05Z'));
  const ctl = new AbortController();
  const agents: Agent[] = [];
  const startAgent = async (more: Partial<AgentOptions> = {}): Promise<Agent> => {
    const agent = new Agent({ client: api.client, nodeName: 'n1', runtime: new FakeRuntime({ clock, stopDelayMs: 0 }), logger: silentLogger, clock, system, nodeIP: '10.0.0.5', recorder: false, ...extra, ...more });
    await agent.start(ctl.signal);
    agents.push(agent);
    return agent;
  };
  const done = (): void => {
    ctl.abort();
    api.stop();
  };
  return { client: api.client, clock, startAgent, done };
}

const getPod = (c: Client, name: string): Promise<KubeObject | undefined> => c.resource(R.pods).get('default', name).catch(() => undefined);

function pod(name: string, extra: { annotations?: Record<string, string>; restartPolicy?: string } = {}): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: 'default' };
  if (extra.annotations) metadata.annotations = extra.annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { nodeName: 'n1', restartPolicy: extra.restartPolicy ?? 'Always', containers: [{ name: 'web', image: 'nginx' }] } };
}

async function assignCIDR(c: Client, agent: Agent, cidr = '10.42.3.0/24'): Promise<void> {
  await c.resource(R.nodes).patch('', 'n1', 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
  await until('node running pods', () => agent.running);
}

const phaseOf = async (c: Client, name: string, phase: string): Promise<KubeObject | undefined> => {
  const p = await getPod(c, name);
  return str(p, 'status', 'phase') === phase ? p : undefined;
};

test('registration: labels, taints, capacity, conditions, nodeInfo and the lease', async () => {
  const s = await setup({ labels: { zone: 'a' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], capacity: { cpu: '2', memory: '3Gi' }, roles: ['control-plane', 'master'] });
  try {
    await s.startAgent();
    const node = await s.client.resource(R.nodes).get('', 'n1');
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of Object.entries({ 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', zone: 'a' })) assert.equal(labels[k], v, k);
    assert.deepEqual(arr(node, 'spec', 'taints'), [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
    assert.equal(str(node, 'status', 'capacity', 'cpu'), '2');
    assert.equal(str(node, 'status', 'capacity', 'memory'), '3Gi');
    assert.equal(str(node, 'status', 'capacity', 'pods'), '110');
    assert.equal(str(node, 'status', 'allocatable', 'memory'), '3Gi');
    assert.deepEqual(arr(node, 'status', 'addresses'), [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'n1' }]);
    const ready = arr(node, 'status', 'conditions').find((c) => str(c, 'type') === 'Ready');
    assert.equal(str(ready, 'status'), 'True');
    assert.equal(str(ready, 'reason'), 'KubeletReady');
    assert.equal(str(ready, 'message'), 'kubelet is posting ready status');
    for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']) {
      assert.equal(str(arr(node, 'status', 'conditions').find((c) => str(c, 'type') === t), 'status'), 'False', t);
    }
    assert.equal(str(node, 'status', 'nodeInfo', 'containerRuntimeVersion'), 'fake://1.0.0');
    assert.equal(str(node, 'status', 'nodeInfo', 'kubeletVersion'), 'v1.32.0+skiff');
    assert.equal(str(node, 'status', 'nodeInfo', 'osImage'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(str(node, 'status', 'nodeInfo', 'kernelVersion'), '6.1.0-test');
    assert.equal((node['status'] as { daemonEndpoints: { kubeletEndpoint: { Port: number } } }).daemonEndpoints.kubeletEndpoint.Port, 10250);
    const lease = await until('lease', () => s.client.resource(R.leases).get('kube-node-lease', 'n1').catch(() => undefined));
    assert.equal(str(lease, 'spec', 'holderIdentity'), 'n1');
    assert.equal((lease['spec'] as { leaseDurationSeconds: number }).leaseDurationSeconds, 40);
    assert.equal(str(lease, 'spec', 'renewTime'), '2024-01-02T03:04:05.000000Z');
    assert.equal(lease.metadata.ownerReferences?.[0]?.uid, node.metadata.uid);
  } finally {
    s.done();
  }
});

test('the lease is renewed every quarter of its duration', async () => {
  const s = await setup();
  try {
    await s.startAgent();
    const renewTime = async (): Promise<string | undefined> => str(await s.client.resource(R.leases).get('kube-node-lease', 'n1').catch(() => undefined), 'spec', 'renewTime');
    await until('first lease', renewTime);
    await new Promise((r) => setTimeout(r, 30)); // let the first round schedule the next one
    s.clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(await renewTime(), '2024-01-02T03:04:05.000000Z');
    s.clock.advance(1);
    await until('renewal at 10 s', async () => (await renewTime()) === '2024-01-02T03:04:15.000000Z');
    s.clock.advance(10_000);
    await until('renewal at 20 s', async () => (await renewTime()) === '2024-01-02T03:04:25.000000Z');
  } finally {
    s.done();
  }
});

test('pods wait for the pod CIDR, then run with an IP from it', async () => {
  const s = await setup();
  try {
    const agent = await s.startAgent();
    await s.client.resource(R.pods).create('default', pod('web-1'));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(str(await getPod(s.client, 'web-1'), 'status', 'phase'), 'Pending');
    await assignCIDR(s.client, agent);
    const p = await until('Running', () => phaseOf(s.client, 'web-1', 'Running'));
    assert.equal(str(p, 'status', 'podIP'), '10.42.3.2');
    assert.deepEqual(arr(p, 'status', 'podIPs'), [{ ip: '10.42.3.2' }]);
    assert.equal(str(p, 'status', 'hostIP'), '10.0.0.5');
    assert.ok(str(p, 'status', 'startTime'));
    for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
      const c = arr(p, 'status', 'conditions').find((x) => str(x, 'type') === t);
      assert.equal(str(c, 'status'), 'True', t);
      assert.ok(str(c, 'lastTransitionTime'), t);
    }
    const cs = arr(p, 'status', 'containerStatuses')[0];
    assert.match(str(cs, 'containerID') ?? '', /^fake:\/\/[0-9a-f]+$/);
    assert.equal(str(cs, 'state', 'running', 'startedAt'), '2024-01-02T03:04:05Z');
    assert.equal(str(cs, 'image'), 'docker.io/library/nginx:latest');
    assert.equal((cs as { ready: boolean; restartCount: number }).ready, true);
    await s.client.resource(R.pods).create('default', pod('web-2'));
    assert.equal(str(await until('second Running', () => phaseOf(s.client, 'web-2', 'Running')), 'status', 'podIP'), '10.42.3.3');
  } finally {
    s.done();
  }
});

test('graceful deletion is confirmed with a delete of grace 0', async () => {
  const s = await setup();
  try {
    await assignCIDR(s.client, await s.startAgent());
    await s.client.resource(R.pods).create('default', pod('web-1'));
    await until('Running', () => phaseOf(s.client, 'web-1', 'Running'));
    const marked = (await s.client.resource(R.pods).delete('default', 'web-1', { gracePeriodSeconds: 30 })) as KubeObject;
    assert.ok(marked.metadata.deletionTimestamp, 'the API only marks the pod');
    await until('pod gone', async () => ((await getPod(s.client, 'web-1')) === undefined ? true : undefined));
  } finally {
    s.done();
  }
});

test('a fake exit code completes pods that do not restart', async () => {
  const s = await setup();
  try {
    await assignCIDR(s.client, await s.startAgent());
    await s.client.resource(R.pods).create('default', pod('ok', { restartPolicy: 'Never', annotations: { [FAKE_EXIT_CODE_ANNOTATION]: '0' } }));
    await s.client.resource(R.pods).create('default', pod('bad', { restartPolicy: 'Never', annotations: { [FAKE_EXIT_CODE_ANNOTATION]: '3' } }));
    const ok = await until('Succeeded', () => phaseOf(s.client, 'ok', 'Succeeded'));
    assert.equal(str(arr(ok, 'status', 'containerStatuses')[0], 'state', 'terminated', 'reason'), 'Completed');
    assert.equal(str(arr(ok, 'status', 'conditions').find((c) => str(c, 'type') === 'Ready'), 'reason'), 'PodCompleted');
    const bad = await until('Failed', () => phaseOf(s.client, 'bad', 'Failed'));
    assert.equal((arr(bad, 'status', 'containerStatuses')[0] as { state: { terminated: { exitCode: number } } }).state.terminated.exitCode, 3);
  } finally {
    s.done();
  }
});

test('a restarted agent reuses its node and re-adopts running pods', async () => {
  const s = await setup();
  try {
    const first = await s.startAgent();
    await assignCIDR(s.client, first);
    await s.client.resource(R.pods).create('default', pod('web-1'));
    const before = await until('Running', () => phaseOf(s.client, 'web-1', 'Running'));
    const uid = (await s.client.resource(R.nodes).get('', 'n1')).metadata.uid;
    first.stop();
    const second = await s.startAgent();
    await until('second agent running', () => second.running);
    assert.equal((await s.client.resource(R.nodes).get('', 'n1')).metadata.uid, uid);
    await s.client.resource(R.pods).create('default', pod('web-2'));
    const p2 = await until('new pod Running', () => phaseOf(s.client, 'web-2', 'Running'));
    assert.notEqual(str(p2, 'status', 'podIP'), str(before, 'status', 'podIP'), 'the adopted IP stays taken');
    const after = await getPod(s.client, 'web-1');
    assert.deepEqual(arr(after, 'status', 'containerStatuses'), arr(before, 'status', 'containerStatuses'));
    assert.equal(str(after, 'status', 'phase'), 'Running');
  } finally {
    s.done();
  }
});
