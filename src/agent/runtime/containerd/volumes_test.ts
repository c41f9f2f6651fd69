import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { PodVolumes } from './volumes.js';
import { VolumeError, type VolumeContext } from './volume_sources.js';

const objects: Record<string, KubeObject> = {
  'ConfigMap/app': { metadata: { name: 'app' }, data: { 'a.conf': 'A', 'b.conf': 'B' } },
  'Secret/tls': { metadata: { name: 'tls' }, data: { 'tls.key': Buffer.from('KEY').toString('base64') } },
  'ConfigMap/kube-root-ca.crt': { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CA' } },
};

function ctxFor(volumes: unknown[], token = true): VolumeContext {
  const pod: KubeObject = { metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { b: '2', a: '1' } }, spec: { volumes, containers: [{ name: 'main', resources: { limits: { memory: '64Mi' } } }] } };
  const ctx: VolumeContext = {
    pod,
    podIP: '10.42.0.7',
    hostIP: '192.168.1.10',
    allocatable: { cpu: 2, memory: 2 ** 30 },
    getConfigMap: (_ns, n) => Promise.resolve(objects[`ConfigMap/${n}`]),
    getSecret: (_ns, n) => Promise.resolve(objects[`Secret/${n}`]),
    getPersistentVolumeClaim: () => Promise.resolve(undefined),
    getPersistentVolume: () => Promise.resolve(undefined),
  };
  if (token) ctx.token = (aud, exp) => Promise.resolve(`token-${aud}-${exp}`);
  return ctx;
}

const mode = (p: string): number => statSync(p).mode & 0o777;

test('file-backed volumes: configMap items, secret modes, downwardAPI, projected token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-vol-'));
  try {
    const vols = new PodVolumes(dir, 'u1');
    const paths = await vols.setup(
      ctxFor([
        { name: 'cfg', configMap: { name: 'app', items: [{ key: 'a.conf', path: 'conf/a.conf', mode: 0o600 }] } },
        { name: 'sec', secret: { secretName: 'tls', defaultMode: 0o400 } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'main', resource: 'limits.memory', divisor: '1Mi' } }] } },
        { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
        { name: 'scratch', emptyDir: {} },
      ]),
      0,
    );
    const cfg = paths.get('cfg')?.path ?? '';
    assert.equal(cfg, join(dir, 'agent/pods/u1/volumes/configmap/cfg'));
    assert.equal(readFileSync(join(cfg, 'conf/a.conf'), 'utf8'), 'A');
    assert.equal(existsSync(join(cfg, 'b.conf')), false, 'only listed items');
    assert.equal(mode(join(cfg, 'conf/a.conf')), 0o600);
    assert.equal(readlinkSync(join(cfg, 'conf')), '..data/conf');
    const sec = paths.get('sec')?.path ?? '';
    assert.equal(readFileSync(join(sec, 'tls.key'), 'utf8'), 'KEY');
    assert.equal(mode(join(sec, 'tls.key')), 0o400);
    const info = paths.get('info')?.path ?? '';
    assert.equal(readFileSync(join(info, 'labels'), 'utf8'), 'a="1"\nb="2"');
    assert.equal(readFileSync(join(info, 'mem'), 'utf8'), '64');
    const api = paths.get('api')?.path ?? '';
    assert.equal(readFileSync(join(api, 'token'), 'utf8'), 'token--3607');
    assert.equal(readFileSync(join(api, 'ca.crt'), 'utf8'), 'CA');
    assert.equal(readFileSync(join(api, 'namespace'), 'utf8'), 'shop');
    assert.equal(paths.get('scratch')?.path, join(dir, 'agent/pods/u1/volumes/empty-dir/scratch'));
    // An update swaps ..data atomically and drops files no longer present.
    objects['ConfigMap/app'] = { metadata: { name: 'app' }, data: { 'a.conf': 'A2' } };
    await vols.setup(ctxFor([{ name: 'cfg', configMap: { name: 'app' } }]), 1000);
    assert.equal(readFileSync(join(cfg, 'a.conf'), 'utf8'), 'A2');
    assert.equal(existsSync(join(cfg, 'conf')), false);
    await vols.teardown();
    assert.equal(existsSync(join(dir, 'agent/pods/u1')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('volume errors and hostPath types', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-vol-'));
  try {
    const vols = new PodVolumes(dir, 'u2');
    const fail = (v: unknown[]): Promise<unknown> => vols.setup(ctxFor(v), 0);
    await assert.rejects(fail([{ name: 'x', configMap: { name: 'gone' } }]), (e: Error) => e instanceof VolumeError && e.message === 'MountVolume.SetUp failed for volume "x" : configmap "gone" not found');
    await assert.rejects(fail([{ name: 'x', secret: { secretName: 'tls', items: [{ key: 'nope', path: 'p' }] } }]), { message: 'MountVolume.SetUp failed for volume "x" : secret references non-existent secret key: nope' });
    const paths = await vols.setup(ctxFor([{ name: 'x', configMap: { name: 'gone', optional: true } }]), 0);
    assert.ok(paths.has('x'));
    const created = join(dir, 'made/here');
    await vols.setup(ctxFor([{ name: 'h', hostPath: { path: created, type: 'DirectoryOrCreate' } }]), 0);
    assert.ok(statSync(created).isDirectory());
    await vols.setup(ctxFor([{ name: 'h', hostPath: { path: join(dir, 'f.txt'), type: 'FileOrCreate' } }]), 0);
    assert.ok(statSync(join(dir, 'f.txt')).isFile());
    writeFileSync(join(dir, 'plain'), '');
    await assert.rejects(fail([{ name: 'h', hostPath: { path: join(dir, 'plain'), type: 'Directory' } }]), { message: `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(dir, 'plain')} is not a directory` });
    await assert.rejects(fail([{ name: 'h', hostPath: { path: join(dir, 'missing'), type: 'File' } }]), /is not a file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
