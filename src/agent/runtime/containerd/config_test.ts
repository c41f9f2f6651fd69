import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { buildContainerConfig, containerMounts, etcHostsContent } from './container_config.js';
import { buildSandboxConfig, podDNSConfig, type SandboxSettings } from './sandbox_config.js';

const settings: SandboxSettings = { nodeName: 'node1', podLogsDir: '/d/logs', cgroupParent: '/skiff/node1', clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', hostDNS: { servers: ['1.1.1.1'], searches: ['lan'], options: ['edns0'] } };
const pod = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx' }], ...spec } });

test('podDNSConfig per dnsPolicy', () => {
  const cluster = { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lan'], options: ['ndots:5'] };
  const host = { servers: ['1.1.1.1'], searches: ['lan'], options: ['edns0'] };
  const cases: { name: string; spec: Record<string, unknown>; want: unknown }[] = [
    { name: 'ClusterFirst default', spec: {}, want: cluster },
    { name: 'hostNetwork falls back to host', spec: { hostNetwork: true }, want: host },
    { name: 'ClusterFirstWithHostNet', spec: { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, want: cluster },
    { name: 'Default', spec: { dnsPolicy: 'Default' }, want: host },
    { name: 'None + dnsConfig', spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'], options: [{ name: 'ndots', value: '2' }] } }, want: { servers: ['9.9.9.9'], searches: [], options: ['ndots:2'] } },
  ];
  for (const c of cases) assert.deepEqual(podDNSConfig(pod(c.spec), settings), c.want, c.name);
});

test('buildSandboxConfig: metadata, log dir, cgroup parent, ports, namespaces', () => {
  const cfg = buildSandboxConfig(pod({ hostNetwork: true, containers: [{ name: 'main', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }] }] }), settings, 2);
  assert.deepEqual(cfg.metadata, { name: 'web', namespace: 'shop', uid: 'u1', attempt: 2 });
  assert.equal(cfg.logDirectory, '/d/logs/shop_web_u1');
  assert.equal(cfg.hostname, undefined, 'host network: the node hostname');
  assert.equal(cfg.linux?.cgroupParent, '/skiff/node1/podu1');
  assert.deepEqual(cfg.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }]);
  assert.equal(cfg.linux?.securityContext?.namespaceOptions?.network, 'NODE');
  assert.equal(cfg.labels?.['io.kubernetes.pod.uid'], 'u1');
  assert.equal(cfg.labels?.['app'], 'web');
});

test('buildContainerConfig: command expansion, log path, security context, mounts', async () => {
  const p = pod({ securityContext: { runAsUser: 1000, fsGroup: 2000 } });
  const container = {
    name: 'main',
    image: 'nginx',
    command: ['sh', '-c'],
    args: ['echo $(GREETING)'],
    workingDir: '/app',
    tty: true,
    securityContext: { runAsUser: 0, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true, subPath: 'sub' }],
  };
  const env = [{ key: 'GREETING', value: 'hola' }];
  const base = mkdtempSync(join(tmpdir(), 'skiff-config-'));
  try {
  const mounts = await containerMounts(container, new Map([['data', { path: base, readOnly: false }]]), env, '/d/etc-hosts');
  assert.deepEqual(mounts, [
    { containerPath: '/data', hostPath: `${base}/sub`, readonly: true, propagation: 'PROPAGATION_PRIVATE' },
    { containerPath: '/etc/hosts', hostPath: '/d/etc-hosts', readonly: false },
  ]);
  const cfg = buildContainerConfig(p, container, { restartCount: 3, env, mounts, namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, nodeName: 'node1', nodeMemoryBytes: 2 ** 33 });
  assert.deepEqual(cfg.args, ['echo hola']);
  assert.equal(cfg.logPath, 'main/3.log');
  assert.deepEqual(cfg.metadata, { name: 'main', attempt: 3 });
  assert.equal(cfg.workingDir, '/app');
  assert.equal(cfg.tty, true);
  const sc = cfg.linux?.securityContext;
  assert.deepEqual(sc?.runAsUser, { value: 0 }, 'container overrides pod');
  assert.deepEqual(sc?.supplementalGroups, [2000]);
  assert.deepEqual(sc?.capabilities, { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] });
  assert.equal(sc?.readonlyRootfs, true);
  assert.equal(sc?.noNewPrivs, true);
  assert.ok(sc?.maskedPaths?.includes('/proc/kcore'));
  const src = new Map([['x', { path: base, readOnly: true }]]);
  await assert.rejects(containerMounts({ volumeMounts: [{ name: 'x', mountPath: '/x', subPath: '../etc' }] }, src, [], undefined), /invalid subpath/);
  // A read-only claim makes every mount of it read-only; a symlink left in the volume cannot lead a subPath out.
  assert.equal((await containerMounts({ volumeMounts: [{ name: 'x', mountPath: '/x' }] }, src, [], undefined))[0]?.readonly, true);
  symlinkSync('/etc', join(base, 'escape'));
  await assert.rejects(containerMounts({ volumeMounts: [{ name: 'x', mountPath: '/x', subPath: 'escape' }] }, src, [], undefined), /not within volume path/);
  const outside = mkdtempSync(join(tmpdir(), 'skiff-outside-'));
  try {
    symlinkSync(outside, join(base, 'out'));
    await assert.rejects(containerMounts({ volumeMounts: [{ name: 'x', mountPath: '/x', subPath: 'out/made' }] }, src, [], undefined), /not within volume path/);
    assert.equal(existsSync(join(outside, 'made')), false, 'nothing is made outside the volume');
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('etcHostsContent lists the pod and its host aliases', () => {
  const text = etcHostsContent(pod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.0.0.1', hostnames: ['foo', 'bar'] }] }), '10.42.0.7', 'cluster.local');
  assert.match(text, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
  assert.match(text, /\n10\.42\.0\.7\tdb-0\.db\.shop\.svc\.cluster\.local\tdb-0\n/);
  assert.match(text, /# Entries added by HostAliases\.\n10\.0\.0\.1\tfoo\tbar\n$/);
});
