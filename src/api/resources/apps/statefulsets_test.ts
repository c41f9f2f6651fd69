import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../types.js';
import { fieldErrorMessage } from '../../field_errors.js';
import { statefulsets } from './statefulsets.js';

/** mysql is the Kubernetes documentation's replicated MySQL StatefulSet, trimmed: a volumeMount names the claim template. */
function mysql(mounts: { name: string; mountPath: string }[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'mysql', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'mysql' } },
      serviceName: 'mysql',
      replicas: 3,
      template: {
        metadata: { labels: { app: 'mysql' } },
        spec: {
          initContainers: [{ name: 'init-mysql', image: 'mysql:5.7', command: ['bash', '-c', 'true'], volumeMounts: [{ name: 'conf', mountPath: '/mnt/conf.d' }, { name: 'config-map', mountPath: '/mnt/config-map' }] }],
          containers: [{ name: 'mysql', image: 'mysql:5.7', ports: [{ name: 'mysql', containerPort: 3306 }], volumeMounts: mounts }],
          volumes: [{ name: 'conf', emptyDir: {} }, { name: 'config-map', configMap: { name: 'mysql' } }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
    },
  };
}

test('volumeMounts may name a volumeClaimTemplates entry', () => {
  const set = mysql([{ name: 'data', mountPath: '/var/lib/mysql' }, { name: 'conf', mountPath: '/etc/mysql/conf.d' }]);
  statefulsets.defaults(set);
  assert.deepEqual(statefulsets.validate(set).map((e) => fieldErrorMessage(e, true)), []);
  assert.equal((set.spec as { template: { spec: { volumes: unknown[] } } }).template.spec.volumes.length, 2, 'validation does not change the object');
});

test('a volumeMount naming neither a volume nor a claim template is still refused', () => {
  const set = mysql([{ name: 'nothing', mountPath: '/x' }]);
  statefulsets.defaults(set);
  assert.deepEqual(statefulsets.validate(set).map((e) => [e.type, e.field]), [['FieldValueNotFound', 'spec.template.spec.containers[0].volumeMounts[0].name']]);
});

test('rollingUpdate.maxUnavailable: positive count or percentage', () => {
  const cases: [unknown, string[]][] = [
    [2, []],
    ['50%', []],
    [0, ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: must be greater than 0']],
    ['150%', ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
  ];
  for (const [value, want] of cases) {
    const set = mysql([{ name: 'data', mountPath: '/d' }]);
    (set.spec as Record<string, unknown>).updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: value } };
    statefulsets.defaults(set);
    assert.deepEqual(statefulsets.validate(set).map((e) => fieldErrorMessage(e, true)), want, String(value));
  }
});
