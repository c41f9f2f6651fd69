import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../field_errors.js';
import type { JsonObject, KubeObject } from '../../types.js';
import { pods } from './pods.js';
import { podStatusSummary } from './pods_printer.js';
import { podQOSClass } from './pods_qos.js';

const now = Date.parse('2024-01-01T01:00:00Z');
const running = { running: { startedAt: '2024-01-01T00:00:00Z' } };

function pod(spec: JsonObject, status: JsonObject, meta: JsonObject = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'd', creationTimestamp: '2024-01-01T00:00:00Z', ...meta }, spec, status };
}
const two = { containers: [{ name: 'a' }, { name: 'b' }] };
const one = { containers: [{ name: 'a' }] };
const withInit = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] };

describe('pod printer READY/STATUS/RESTARTS', () => {
  const cases: { name: string; pod: KubeObject; want: [string, string, string] }[] = [
    { name: 'pending', pod: pod(one, { phase: 'Pending' }), want: ['0/1', 'Pending', '0'] },
    {
      name: 'running and ready',
      pod: pod(two, { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: running }, { name: 'b', ready: true, state: running }] }),
      want: ['2/2', 'Running', '0'],
    },
    {
      name: 'container creating',
      pod: pod(one, { phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      want: ['0/1', 'ContainerCreating', '0'],
    },
    {
      name: 'crash loop with last restart',
      pod: pod(one, {
        phase: 'Running',
        containerStatuses: [{ name: 'a', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:55:00Z' } } }],
      }),
      want: ['0/1', 'CrashLoopBackOff', '4 (5m ago)'],
    },
    { name: 'completed', pod: pod(one, { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), want: ['0/1', 'Completed', '0'] },
    { name: 'error', pod: pod(one, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }), want: ['0/1', 'Error', '0'] },
    { name: 'oom', pod: pod(one, { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }), want: ['0/1', 'OOMKilled', '0'] },
    { name: 'signal', pod: pod(one, { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, signal: 9 } } }] }), want: ['0/1', 'Signal:9', '0'] },
    { name: 'exit code', pod: pod(one, { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] }), want: ['0/1', 'ExitCode:2', '0'] },
    {
      name: 'completed but one still running and Ready',
      pod: pod(two, {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'a', ready: true, state: running }, { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      }),
      want: ['1/2', 'Running', '0'],
    },
    {
      name: 'completed but one still running, not Ready',
      pod: pod(two, { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: running }, { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      want: ['1/2', 'NotReady', '0'],
    },
    { name: 'init progress', pod: pod(withInit, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: running }] }), want: ['0/1', 'Init:1/2', '0'] },
    { name: 'init error', pod: pod(withInit, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }), want: ['0/1', 'Init:Error', '0'] },
    { name: 'init exit code', pod: pod(withInit, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 3 } } }] }), want: ['0/1', 'Init:ExitCode:3', '0'] },
    { name: 'init signal', pod: pod(withInit, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 143, signal: 15 } } }] }), want: ['0/1', 'Init:Signal:15', '0'] },
    {
      name: 'init crash loop',
      pod: pod(withInit, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
      want: ['0/1', 'Init:CrashLoopBackOff', '2'],
    },
    { name: 'init PodInitializing', pod: pod(withInit, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'PodInitializing' } } }] }), want: ['0/1', 'Init:0/2', '0'] },
    {
      name: 'sidecar counts as container',
      pod: pod(
        { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
        { phase: 'Running', initContainerStatuses: [{ name: 's', started: true, ready: true, state: running }], containerStatuses: [{ name: 'a', ready: true, state: running }] },
      ),
      want: ['2/2', 'Running', '0'],
    },
    { name: 'terminating', pod: pod(one, { phase: 'Running' }, { deletionTimestamp: '2024-01-01T00:59:00Z' }), want: ['0/1', 'Terminating', '0'] },
    { name: 'terminating but succeeded', pod: pod(one, { phase: 'Succeeded' }, { deletionTimestamp: '2024-01-01T00:59:00Z' }), want: ['0/1', 'Succeeded', '0'] },
    { name: 'node lost', pod: pod(one, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: '2024-01-01T00:59:00Z' }), want: ['0/1', 'Unknown', '0'] },
    { name: 'evicted', pod: pod(one, { phase: 'Failed', reason: 'Evicted' }), want: ['0/1', 'Evicted', '0'] },
    { name: 'scheduling gated', pod: pod(one, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), want: ['0/1', 'SchedulingGated', '0'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = podStatusSummary(c.pod, now);
      assert.deepEqual([s.ready, s.status, s.restarts], c.want);
    });
  }
  it('row has wide cells with <none>', () => {
    const p = pod({ ...one, readinessGates: [{ conditionType: 'x' }] }, { phase: 'Pending', conditions: [{ type: 'x', status: 'True' }] });
    assert.deepEqual(pods.row(p, now), ['p', '0/1', 'Pending', '0', '60m', '<none>', '<none>', '<none>', '1/1']);
    assert.deepEqual(pods.columns.map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  });
});

describe('podQOSClass', () => {
  const c = (resources: JsonObject) => ({ name: 'c', image: 'x', resources });
  const cases: [string, unknown, string][] = [
    ['no resources', { containers: [c({})] }, 'BestEffort'],
    ['requests only', { containers: [c({ requests: { cpu: '100m' } })] }, 'Burstable'],
    ['equal', { containers: [c({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } })] }, 'Guaranteed'],
    ['cpu limit only', { containers: [c({ requests: { cpu: '1' }, limits: { cpu: '1' } })] }, 'Burstable'],
    ['one container unlimited', { containers: [c({ requests: { cpu: '1', memory: '1' }, limits: { cpu: '1', memory: '1' } }), c({})] }, 'Burstable'],
    ['only other resources', { containers: [c({ limits: { 'nvidia.com/gpu': '1' } })] }, 'BestEffort'],
  ];
  for (const [name, spec, want] of cases) it(name, () => assert.equal(podQOSClass(spec), want));
});

describe('pods strategy', () => {
  function created(spec: JsonObject): KubeObject {
    const p: KubeObject = { metadata: { name: 'p', namespace: 'd' }, spec, status: { phase: 'Running' } };
    pods.defaults(p);
    pods.prepareForCreate?.(p);
    return p;
  }
  it('defaults pod-only fields and resets status on create', () => {
    const p = created({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
    assert.equal((p['spec'] as JsonObject)['enableServiceLinks'], true);
    assert.deepEqual(((p['spec'] as JsonObject)['containers'] as JsonObject[])[0]?.['resources'], { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    assert.deepEqual(p['status'], { phase: 'Pending', qosClass: 'Guaranteed' });
    assert.deepEqual(pods.validate(p), []);
  });
  it('update keeps old status', () => {
    const old = created({ containers: [{ name: 'c', image: 'x' }] });
    old['status'] = { phase: 'Running' };
    const next = structuredClone(old);
    next['status'] = { phase: 'Failed' };
    pods.prepareForUpdate?.(next, old);
    assert.deepEqual(next['status'], { phase: 'Running' });
  });
  const updates: { name: string; change: (s: JsonObject) => void; want: string[] }[] = [
    { name: 'image change allowed', change: (s) => ((s['containers'] as JsonObject[])[0]!['image'] = 'y'), want: [] },
    { name: 'deadline set allowed', change: (s) => (s['activeDeadlineSeconds'] = 30), want: [] },
    { name: 'toleration added', change: (s) => (s['tolerations'] = [{ key: 'k', operator: 'Exists' }]), want: [] },
    { name: 'nodeName change forbidden', change: (s) => (s['nodeName'] = 'n2'), want: ['FieldValueForbidden spec'] },
    { name: 'port change forbidden', change: (s) => ((s['containers'] as JsonObject[])[0]!['ports'] = [{ containerPort: 80, protocol: 'TCP' }]), want: ['FieldValueForbidden spec'] },
    { name: 'container added', change: (s) => (s['containers'] as JsonObject[]).push({ name: 'd', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }), want: ['FieldValueForbidden spec.containers'] },
    { name: 'image cleared', change: (s) => ((s['containers'] as JsonObject[])[0]!['image'] = ''), want: ['FieldValueRequired spec.containers[0].image', 'FieldValueRequired spec.containers[0].image'] },
  ];
  for (const u of updates) {
    it(u.name, () => {
      const old = created({ containers: [{ name: 'c', image: 'x' }], tolerations: [] });
      const next = structuredClone(old);
      u.change(next['spec'] as JsonObject);
      assert.deepEqual(pods.validate(next, old).map((e) => `${e.type} ${e.field}`), u.want);
    });
  }
  it('forbidden update message', () => {
    const old = created({ containers: [{ name: 'c', image: 'x' }] });
    const next = structuredClone(old);
    (next['spec'] as JsonObject)['nodeName'] = 'n2';
    const [e] = pods.validate(next, old);
    assert.match(fieldErrorMessage(e!), /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/);
  });
  it('field labels', () => {
    const p = created({ containers: [{ name: 'c', image: 'x' }], nodeName: 'n1' });
    assert.deepEqual(pods.fieldLabels?.(p), {
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Pending',
      'status.podIP': '',
      'status.nominatedNodeName': '',
    });
  });
});
