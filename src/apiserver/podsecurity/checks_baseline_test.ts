import { test } from 'node:test';
import assert from 'node:assert/strict';
import { c, runCheck, verdict, type CheckCase } from './check_test_helper.js';

const TABLES: Record<string, CheckCase[]> = {
  appArmorProfile: [
    { name: 'nothing set', spec: { containers: [c('a')] } },
    { name: 'allowed annotations', spec: { containers: [c('a')] }, annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/b': 'localhost/p', env: 'x' } },
    { name: 'runtime default field', spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [c('a', { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] } },
    { name: 'unconfined pod', spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [c('a')] }, want: ['forbidden AppArmor profile', 'pod must not set AppArmor profile type to "Unconfined"'] },
    { name: 'unconfined init container', spec: { initContainers: [c('bar', { appArmorProfile: { type: 'Unconfined' } })], containers: [c('foo')] }, want: ['forbidden AppArmor profile', 'container "bar" must not set AppArmor profile type to "Unconfined"'] },
    {
      name: 'annotations',
      spec: { containers: [c('a')] },
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/': 'bogus',
        'container.apparmor.security.beta.kubernetes.io/a': '',
        'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
      },
      want: ['forbidden AppArmor profiles', 'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown""'],
    },
  ],
  capabilities_baseline: [
    { name: 'default set', spec: { containers: [c('a', { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'], drop: ['ALL'] } })] } },
    {
      name: 'extra capabilities',
      spec: { containers: [c('a', { capabilities: { add: ['FOO', 'BAR'] } }), c('b', { capabilities: { add: ['BAR', 'BAZ', 'CHOWN'] } }), c('c', { capabilities: { add: ['KILL'] } })] },
      want: ['non-default capabilities', 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add'],
    },
  ],
  hostNamespaces: [
    { name: 'none', spec: { hostNetwork: false, containers: [c('a')] } },
    { name: 'all three', spec: { hostNetwork: true, hostIPC: true, hostPID: true, containers: [c('a')] }, want: ['host namespaces', 'hostNetwork=true, hostPID=true, hostIPC=true'] },
  ],
  hostPathVolumes: [
    { name: 'emptyDir', spec: { volumes: [{ name: 'a', emptyDir: {} }], containers: [c('a')] } },
    { name: 'two hostPaths', spec: { volumes: [{ name: 'a', hostPath: { path: '/' } }, { name: 'b', emptyDir: {} }, { name: 'c', hostPath: { path: '/x' } }] }, want: ['hostPath volumes', 'volumes "a", "c"'] },
  ],
  hostPorts: [
    { name: 'container ports only', spec: { containers: [c('a', undefined, { ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] })] } },
    {
      name: 'host ports',
      spec: { containers: [c('a', undefined, { ports: [{ hostPort: 10 }, { hostPort: 20 }] }), c('b', undefined, { ports: [{ hostPort: 10 }] }), c('c')] },
      want: ['hostPort', 'containers "a", "b" use hostPorts 10, 20'],
    },
    { name: 'one host port', spec: { containers: [c('a', undefined, { ports: [{ hostPort: 8080 }] })] }, want: ['hostPort', 'container "a" uses hostPort 8080'] },
  ],
  privileged: [
    { name: 'false and unset', spec: { containers: [c('a'), c('b', {}), c('c', { privileged: false })] } },
    { name: 'privileged', spec: { containers: [c('a', { privileged: true }), c('b', { privileged: false })], ephemeralContainers: [c('d', { privileged: true })] }, want: ['privileged', 'containers "a", "d" must not set securityContext.privileged=true'] },
  ],
  procMount: [
    { name: 'default', spec: { containers: [c('a', { procMount: 'Default' }), c('b')] } },
    { name: 'unmasked', spec: { containers: [c('a', { procMount: 'Unmasked' }), c('b', { procMount: 'Other' })] }, want: ['procMount', 'containers "a", "b" must not set securityContext.procMount to "Other", "Unmasked"'] },
  ],
  seLinuxOptions: [
    { name: 'allowed types', spec: { securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } }, containers: [c('a', { seLinuxOptions: { type: 'container_kvm_t' } })] } },
    { name: 'container_engine_t from v1.31', spec: { containers: [c('a', { seLinuxOptions: { type: 'container_engine_t' } })] } },
    { name: 'container_engine_t before v1.31', minor: 30, spec: { containers: [c('a', { seLinuxOptions: { type: 'container_engine_t' } })] }, want: ['seLinuxOptions', 'container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t"'] },
    {
      name: 'bad type, user and role',
      spec: { securityContext: { seLinuxOptions: { type: 'foo' } }, containers: [c('a', { seLinuxOptions: { type: 'bar', user: 'u' } }), c('b', { seLinuxOptions: { role: 'r' } })] },
      want: ['seLinuxOptions', 'pod and containers "a", "b" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set'],
    },
  ],
  seccompProfile_baseline: [
    { name: 'runtime default and unset', spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a'), c('b', { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } })] } },
    {
      name: 'unconfined',
      spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('a', { seccompProfile: { type: 'Unconfined' } }), c('b', { seccompProfile: { type: 'Other' } })] },
      want: ['seccompProfile', 'pod and containers "a", "b" must not set securityContext.seccompProfile.type to "Other", "Unconfined"'],
    },
    {
      name: 'annotations before v1.19',
      minor: 18,
      spec: { containers: [c('a'), c('b')] },
      annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/b': 'unconfined' },
      want: ['seccompProfile', 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/b="unconfined", seccomp.security.alpha.kubernetes.io/pod="unconfined"'],
    },
  ],
  sysctls: [
    { name: 'safe', spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }, { name: 'kernel.shm_rmid_forced', value: '0' }] } } },
    { name: 'tcp_rmem before v1.32', minor: 31, spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } }, want: ['forbidden sysctls', 'net.ipv4.tcp_rmem'] },
    { name: 'unsafe', spec: { securityContext: { sysctls: [{ name: 'a', value: '1' }, { name: 'net.ipv4.tcp_keepalive_time', value: '1' }, { name: 'b', value: '1' }] } }, want: ['forbidden sysctls', 'a, b'] },
  ],
  windowsHostProcess: [
    { name: 'false', spec: { securityContext: { windowsOptions: { hostProcess: false } }, containers: [c('a')] } },
    {
      name: 'pod and containers',
      spec: { securityContext: { windowsOptions: { hostProcess: true } }, containers: [c('a', { windowsOptions: { hostProcess: true } }), c('b', { windowsOptions: { hostProcess: true } })] },
      want: ['hostProcess', 'pod and containers "a", "b" must not set securityContext.windowsOptions.hostProcess=true'],
    },
  ],
};

for (const [id, cases] of Object.entries(TABLES)) {
  test(`baseline check ${id}`, () => {
    for (const tc of cases) {
      assert.deepEqual(verdict(runCheck(id, tc.spec, tc.annotations, tc.minor)), tc.want, tc.name);
    }
  });
}

test('checks read odd shapes without throwing', () => {
  const odd = { containers: [null, 'x', { name: 'a', securityContext: 'nope', ports: [null, { hostPort: 'x' }] }], volumes: 'v', securityContext: [] };
  for (const id of Object.keys(TABLES)) assert.doesNotThrow(() => runCheck(id, odd as never), id);
});
