import { test } from 'node:test';
import assert from 'node:assert/strict';
import { c, runCheck, verdict, type CheckCase } from './check_test_helper.js';

const windows = { os: { name: 'windows' } };

const TABLES: Record<string, CheckCase[]> = {
  allowPrivilegeEscalation: [
    { name: 'false everywhere', spec: { initContainers: [c('i', { allowPrivilegeEscalation: false })], containers: [c('a', { allowPrivilegeEscalation: false })] } },
    {
      name: 'unset or true',
      spec: { containers: [c('a'), c('b', {}), c('c', { allowPrivilegeEscalation: true }), c('d', { allowPrivilegeEscalation: false })] },
      want: ['allowPrivilegeEscalation != false', 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false'],
    },
    { name: 'windows pods from v1.25', spec: { ...windows, containers: [c('a')] } },
    { name: 'windows pods before v1.25', minor: 24, spec: { ...windows, containers: [c('a')] }, want: ['allowPrivilegeEscalation != false', 'container "a" must set securityContext.allowPrivilegeEscalation=false'] },
    { name: 'not before v1.8', minor: 7, spec: { containers: [c('a')] } },
  ],
  capabilities_restricted: [
    { name: 'drop ALL, add NET_BIND_SERVICE', spec: { containers: [c('a', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] } },
    {
      name: 'missing drop and forbidden add',
      spec: { containers: [c('a'), c('b', { capabilities: { drop: ['NET_RAW'] } }), c('c', { capabilities: { drop: ['ALL'], add: ['CHOWN', 'NET_RAW', 'NET_BIND_SERVICE'] } })] },
      want: ['unrestricted capabilities', 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "CHOWN", "NET_RAW" in securityContext.capabilities.add'],
    },
    { name: 'windows', spec: { ...windows, containers: [c('a')] } },
  ],
  restrictedVolumes: [
    {
      name: 'allowed types',
      spec: { volumes: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'].map((t, i) => ({ name: `v${i}`, [t]: {} })) },
    },
    {
      name: 'restricted types',
      spec: { volumes: [{ name: 'a', hostPath: { path: '/' } }, { name: 'b', emptyDir: {} }, { name: 'c', nfs: { server: 's', path: '/' } }, { name: 'd', hostPath: { path: '/x' } }, { name: 'e' }] },
      want: ['restricted volume types', 'volumes "a", "c", "d", "e" use restricted volume types "hostPath", "nfs", "unknown"'],
    },
    { name: 'one', spec: { volumes: [{ name: 'host', hostPath: { path: '/' } }] }, want: ['restricted volume types', 'volume "host" uses restricted volume type "hostPath"'] },
  ],
  runAsNonRoot: [
    { name: 'pod level', spec: { securityContext: { runAsNonRoot: true }, containers: [c('a'), c('b', { runAsNonRoot: true })] } },
    { name: 'every container', spec: { containers: [c('a', { runAsNonRoot: true })], initContainers: [c('i', { runAsNonRoot: true })] } },
    {
      name: 'explicitly false',
      spec: { securityContext: { runAsNonRoot: false }, containers: [c('a', { runAsNonRoot: false }), c('b', { runAsNonRoot: true }), c('c')] },
      want: ['runAsNonRoot != true', 'pod and container "a" must not set securityContext.runAsNonRoot=false'],
    },
    { name: 'unset', spec: { containers: [c('a'), c('b', { runAsNonRoot: true }), c('c', {})] }, want: ['runAsNonRoot != true', 'pod or containers "a", "c" must set securityContext.runAsNonRoot=true'] },
  ],
  runAsUser: [
    { name: 'non-zero and unset', spec: { securityContext: { runAsUser: 1000 }, containers: [c('a'), c('b', { runAsUser: 1 })] } },
    { name: 'root', spec: { securityContext: { runAsUser: 0 }, containers: [c('a', { runAsUser: 0 }), c('b', { runAsUser: 0 })] }, want: ['runAsUser=0', 'pod and containers "a", "b" must not set runAsUser=0'] },
    { name: 'not before v1.23', minor: 22, spec: { securityContext: { runAsUser: 0 } } },
  ],
  seccompProfile_restricted: [
    { name: 'pod level', spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a'), c('b', { seccompProfile: { type: 'Localhost' } })] } },
    { name: 'every container', spec: { containers: [c('a', { seccompProfile: { type: 'RuntimeDefault' } })] } },
    { name: 'unset', spec: { containers: [c('a'), c('b', { seccompProfile: { type: 'RuntimeDefault' } }), c('c')] }, want: ['seccompProfile', 'pod or containers "a", "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'] },
    { name: 'unconfined', spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('a')] }, want: ['seccompProfile', 'pod must not set securityContext.seccompProfile.type to "Unconfined"'] },
    { name: 'windows', spec: { ...windows, containers: [c('a')] } },
  ],
};

for (const [id, cases] of Object.entries(TABLES)) {
  test(`restricted check ${id}`, () => {
    for (const tc of cases) {
      assert.deepEqual(verdict(runCheck(id, tc.spec, tc.annotations, tc.minor)), tc.want, tc.name);
    }
  });
}
