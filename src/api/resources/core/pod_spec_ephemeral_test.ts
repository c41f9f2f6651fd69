import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../field_errors.js';
import type { JsonObject, KubeObject } from '../../types.js';
import { pods } from './pods.js';

function pod(ephemeral: JsonObject[] | undefined, meta: JsonObject = {}): KubeObject {
  const spec: JsonObject = {
    containers: [{ name: 'c', image: 'busybox:1.36' }],
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    volumes: [{ name: 'data' }],
  };
  if (ephemeral) spec['ephemeralContainers'] = ephemeral;
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd', ...meta }, spec };
  pods.defaults(obj);
  return obj;
}

const strategy = pods.subresourceStrategies!['ephemeralcontainers']!;
const debugger1 = { name: 'debugger', image: 'busybox:1.36', targetContainerName: 'c' };

function subresourceErrors(next: KubeObject, old: KubeObject): string[] {
  const obj = structuredClone(next);
  strategy.prepareForUpdate(obj, old);
  return strategy.validate(obj, old).map((e) => fieldErrorMessage(e));
}

describe('ephemeral container validation (pods/ephemeralcontainers)', () => {
  const cases: { name: string; ephemeral: JsonObject[]; want: string[] }[] = [
    { name: 'a valid debugger', ephemeral: [debugger1], want: [] },
    { name: 'target an init container', ephemeral: [{ ...debugger1, targetContainerName: 'init' }], want: [] },
    { name: 'name taken by a container', ephemeral: [{ name: 'c', image: 'busybox' }], want: ['spec.ephemeralContainers[0].name: Duplicate value: "c"'] },
    {
      name: 'names unique among ephemeral containers',
      ephemeral: [debugger1, { ...debugger1 }],
      want: ['spec.ephemeralContainers[1].name: Duplicate value: "debugger"'],
    },
    { name: 'unknown target', ephemeral: [{ ...debugger1, targetContainerName: 'nope' }], want: ['spec.ephemeralContainers[0].targetContainerName: Not found: "nope"'] },
    {
      name: 'ports, probes, lifecycle and resources are forbidden',
      ephemeral: [{ ...debugger1, ports: [{ containerPort: 80 }], readinessProbe: { exec: { command: ['true'] } }, lifecycle: { preStop: { exec: { command: ['true'] } } }, resources: { limits: { cpu: '1' } } }],
      want: [
        'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
      ],
    },
    {
      name: 'subPath mounts are forbidden',
      ephemeral: [{ ...debugger1, volumeMounts: [{ name: 'data', mountPath: '/d', subPath: 'x' }] }],
      want: ['spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container'],
    },
    { name: 'image required', ephemeral: [{ name: 'debugger' }], want: ['spec.ephemeralContainers[0].image: Required value'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(subresourceErrors(pod(c.ephemeral), pod(undefined)), c.want));
  }

  it('defaults ephemeral containers as containers', () => {
    const ec = (pod([debugger1]).spec as { ephemeralContainers: JsonObject[] }).ephemeralContainers[0]!;
    assert.equal(ec['imagePullPolicy'], 'IfNotPresent');
    assert.equal(ec['terminationMessagePath'], '/dev/termination-log');
    assert.equal(ec['terminationMessagePolicy'], 'File');
  });

  it('existing ephemeral containers may be neither changed nor removed', () => {
    const old = pod([debugger1]);
    const changed = subresourceErrors(pod([{ ...debugger1, image: 'busybox:1.37' }]), old);
    assert.equal(changed.length, 1);
    assert.match(changed[0]!, /^spec\.ephemeralContainers\[debugger\]: Forbidden: existing ephemeral containers "debugger" may not be changed\n/);
    assert.match(changed[0]!, /- \tImage: "busybox:1.36",\n\+ \tImage: "busybox:1.37",/);
    assert.deepEqual(subresourceErrors(pod([]), old), ['spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed\n']);
    assert.deepEqual(subresourceErrors(pod([debugger1, { name: 'second', image: 'busybox' }]), old), []);
  });

  it('only spec.ephemeralContainers changes through the subresource', () => {
    const old = pod(undefined, { labels: { a: 'b' } });
    const next = pod([debugger1]);
    (next.spec as JsonObject)['containers'] = [{ name: 'other', image: 'nginx' }];
    next['status'] = { phase: 'Failed' };
    strategy.prepareForUpdate(next, old);
    assert.deepEqual((next.spec as JsonObject)['containers'], (old.spec as JsonObject)['containers']);
    assert.equal((next.spec as { ephemeralContainers: JsonObject[] }).ephemeralContainers[0]?.['name'], 'debugger');
    assert.deepEqual(next['status'], old['status']);
  });

  it('static pods take no ephemeral containers', () => {
    const old = pod(undefined, { annotations: { 'kubernetes.io/config.mirror': 'x' } });
    assert.deepEqual(subresourceErrors(pod([debugger1]), old).at(-1), ': Forbidden: static pods do not support ephemeral containers');
  });
});

describe('ephemeral containers through the pod itself', () => {
  it('are refused on create', () => {
    const errs = pods.validate(pod([debugger1])).map((e) => fieldErrorMessage(e));
    assert.deepEqual(errs, ['spec.ephemeralContainers: Forbidden: cannot be set on create']);
  });
  it('are refused on update', () => {
    const errs = pods.validate(pod([debugger1]), pod(undefined)).map((e) => fieldErrorMessage(e));
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /^spec: Forbidden: pod updates may not change fields other than /);
  });
});
