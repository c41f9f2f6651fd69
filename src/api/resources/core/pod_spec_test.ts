import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../types.js';
import { defaultPodSpec, defaultPodTemplateSpec, imageTag, validatePodSpec, validatePodTemplateSpec } from './pod_spec.js';

const summary = (errs: { type: string; field: string }[]) => errs.map((e) => `${e.type} ${e.field}`);

function defaulted(spec: JsonObject): JsonObject {
  defaultPodSpec(spec);
  return spec;
}

describe('defaultPodSpec', () => {
  it('fills pod and container defaults', () => {
    const spec = defaulted({
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        },
      ],
      volumes: [{ name: 'c', configMap: { name: 'cfg' } }, { name: 's', secret: { secretName: 'x' } }, { name: 'e' }],
    });
    assert.equal(spec['restartPolicy'], 'Always');
    assert.equal(spec['dnsPolicy'], 'ClusterFirst');
    assert.equal(spec['terminationGracePeriodSeconds'], 30);
    assert.equal(spec['schedulerName'], 'default-scheduler');
    assert.deepEqual(spec['securityContext'], {});
    assert.equal(spec['enableServiceLinks'], undefined, 'pod-only default');
    assert.deepEqual(spec['containers'], [
      {
        name: 'web',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }],
      },
    ]);
    assert.deepEqual(spec['volumes'], [
      { name: 'c', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
      { name: 'e', emptyDir: {} },
    ]);
  });

  const pulls: [string, string][] = [['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.2', 'IfNotPresent'], ['localhost:5000/app', 'Always'], ['localhost:5000/app:v1', 'IfNotPresent'], ['nginx@sha256:abc', 'IfNotPresent']];
  for (const [image, want] of pulls) {
    it(`imagePullPolicy for ${image} is ${want}`, () => {
      const spec = defaulted({ containers: [{ name: 'c', image }] });
      assert.equal((spec['containers'] as JsonObject[])[0]?.['imagePullPolicy'], want);
    });
  }
  it('imageTag', () => assert.equal(imageTag('reg:5000/a/b'), 'latest'));
  it('host network copies containerPort to hostPort', () => {
    const spec = defaulted({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 53 }] }] });
    assert.deepEqual((spec['containers'] as JsonObject[])[0]?.['ports'], [{ containerPort: 53, protocol: 'TCP', hostPort: 53 }]);
  });
  it('template defaults add metadata.creationTimestamp null', () => {
    const tpl: JsonObject = { spec: { containers: [{ name: 'c', image: 'x' }] } };
    defaultPodTemplateSpec(tpl);
    assert.deepEqual(tpl['metadata'], { creationTimestamp: null });
    assert.equal((tpl['spec'] as JsonObject)['restartPolicy'], 'Always');
  });
});

describe('validatePodSpec', () => {
  const base = (): JsonObject => ({ containers: [{ name: 'web', image: 'nginx' }] });
  const cases: { name: string; mutate: (s: JsonObject) => void; want: string[] }[] = [
    { name: 'valid', mutate: () => {}, want: [] },
    { name: 'no containers', mutate: (s) => (s['containers'] = []), want: ['FieldValueRequired spec.containers'] },
    { name: 'bad container name', mutate: (s) => (s['containers'] = [{ name: 'Web', image: 'x' }]), want: ['FieldValueInvalid spec.containers[0].name'] },
    { name: 'missing image', mutate: (s) => (s['containers'] = [{ name: 'web' }]), want: ['FieldValueRequired spec.containers[0].image'] },
    {
      name: 'duplicate across init',
      mutate: (s) => (s['initContainers'] = [{ name: 'web', image: 'x' }]),
      want: ['FieldValueDuplicate spec.initContainers[0].name'],
    },
    {
      name: 'ports',
      mutate: (s) =>
        (s['containers'] = [{ name: 'web', image: 'x', ports: [{ containerPort: 0 }, { containerPort: 70000, name: 'http', protocol: 'ICMP' }, { containerPort: 80, name: 'http' }, { containerPort: 81, name: 'Bad--' }] }]),
      want: [
        'FieldValueRequired spec.containers[0].ports[0].containerPort',
        'FieldValueInvalid spec.containers[0].ports[1].containerPort',
        'FieldValueNotSupported spec.containers[0].ports[1].protocol',
        'FieldValueDuplicate spec.containers[0].ports[2].name',
        'FieldValueInvalid spec.containers[0].ports[3].name',
        'FieldValueInvalid spec.containers[0].ports[3].name',
        'FieldValueInvalid spec.containers[0].ports[3].name',
      ],
    },
    { name: 'env', mutate: (s) => (s['containers'] = [{ name: 'web', image: 'x', env: [{ value: 'v' }, { name: 'A=B' }] }]), want: ['FieldValueRequired spec.containers[0].env[0].name', 'FieldValueInvalid spec.containers[0].env[1].name'] },
    {
      name: 'requests above limits',
      mutate: (s) => (s['containers'] = [{ name: 'web', image: 'x', resources: { limits: { cpu: '500m' }, requests: { cpu: '1', memory: 'lots' } } }]),
      want: ['FieldValueInvalid spec.containers[0].resources.requests[memory]', 'FieldValueInvalid spec.containers[0].resources.requests'],
    },
    {
      name: 'volumes',
      mutate: (s) => {
        s['volumes'] = [{ name: 'a', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'a', configMap: {} }, { name: 'B' }]; // B defaults to emptyDir; hostPath is checked before emptyDir
        s['containers'] = [{ name: 'web', image: 'x', volumeMounts: [{ name: 'a', mountPath: '/a' }, { name: 'zz', mountPath: '/a' }] }];
      },
      want: [
        'FieldValueForbidden spec.volumes[0].emptyDir',
        'FieldValueRequired spec.volumes[1].configMap.name',
        'FieldValueDuplicate spec.volumes[1].name',
        'FieldValueInvalid spec.volumes[2].name',
        'FieldValueNotFound spec.containers[0].volumeMounts[1].name',
        'FieldValueInvalid spec.containers[0].volumeMounts[1].mountPath',
      ],
    },
    { name: 'restartPolicy', mutate: (s) => (s['restartPolicy'] = 'Sometimes'), want: ['FieldValueNotSupported spec.restartPolicy'] },
    { name: 'dnsPolicy', mutate: (s) => (s['dnsPolicy'] = 'Google'), want: ['FieldValueNotSupported spec.dnsPolicy'] },
    { name: 'nodeSelector', mutate: (s) => (s['nodeSelector'] = { 'a b': 'c' }), want: ['FieldValueInvalid spec.nodeSelector'] },
    {
      name: 'tolerations',
      mutate: (s) => (s['tolerations'] = [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', effect: 'Never' }, { key: 'k', operator: 'Equal', tolerationSeconds: 5, effect: 'NoSchedule' }]),
      want: ['FieldValueInvalid spec.tolerations[0].operator', 'FieldValueNotSupported spec.tolerations[1].effect', 'FieldValueInvalid spec.tolerations[2].effect'],
    },
    {
      name: 'probes',
      mutate: (s) => (s['containers'] = [{ name: 'web', image: 'x', livenessProbe: { successThreshold: 2, httpGet: { port: 8080 }, tcpSocket: { port: 1 } }, readinessProbe: {} }]),
      want: [
        'FieldValueForbidden spec.containers[0].livenessProbe.tcpSocket',
        'FieldValueInvalid spec.containers[0].livenessProbe.successThreshold',
        'FieldValueRequired spec.containers[0].readinessProbe',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spec = base();
      c.mutate(spec);
      defaultPodSpec(spec);
      assert.deepEqual(summary(validatePodSpec(spec, 'spec')), c.want);
    });
  }
  it('reports the request/limit message', () => {
    const spec = defaulted({ containers: [{ name: 'w', image: 'x', resources: { limits: { cpu: '1' }, requests: { cpu: '2' } } }] });
    assert.equal(validatePodSpec(spec, 'spec')[0]?.detail, 'must be less than or equal to cpu limit of 1');
  });
  it('validatePodTemplateSpec prefixes paths', () => {
    const tpl: JsonObject = { metadata: { labels: { app: 'bad value' } }, spec: { containers: [{ name: 'c' }] } };
    defaultPodTemplateSpec(tpl);
    assert.deepEqual(summary(validatePodTemplateSpec(tpl, 'spec.template')), [
      'FieldValueInvalid spec.template.metadata.labels',
      'FieldValueRequired spec.template.spec.containers[0].image',
    ]);
  });
});
