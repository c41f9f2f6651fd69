import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { fakeApi } from '../../client/testing/fake_api_test_helper.js';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { startVolumeDirs, volumeAction } from './volume_dirs.js';

const PV = { group: '', version: 'v1', resource: 'persistentvolumes' };

function pv(name: string, path: string, opts: { node?: string; policy?: string; provisioner?: string | null } = {}): KubeObject {
  const annotations = opts.provisioner === null ? {} : { 'pv.kubernetes.io/provisioned-by': opts.provisioner ?? 'skiff.io/local-path' };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: opts.policy ?? 'Delete',
      hostPath: { path, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [opts.node ?? 'n1'] }] }] } },
    },
  };
}

const withPhase = (v: KubeObject, phase: string): KubeObject => ({ ...v, status: { phase } });

test('volumeAction: ours and pinned here; the folder must be pvc-* right under a base', () => {
  const here = new Set(['n1']);
  const bases = ['/data/storage'];
  const cases: [string, KubeObject, string][] = [
    ['new volume', pv('pvc-a', '/data/storage/pvc-a_ns_c'), 'create'],
    ['bound volume', withPhase(pv('pvc-a', '/data/storage/pvc-a_ns_c'), 'Bound'), 'create'],
    ['released, Delete', withPhase(pv('pvc-a', '/data/storage/pvc-a_ns_c'), 'Released'), 'remove'],
    ['released, Retain', withPhase(pv('pvc-a', '/data/storage/pvc-a_ns_c', { policy: 'Retain' }), 'Released'), 'none'],
    ['another node', pv('pvc-a', '/data/storage/pvc-a_ns_c', { node: 'n2' }), 'none'],
    ['another provisioner', pv('pvc-a', '/data/storage/pvc-a_ns_c', { provisioner: 'rancher.io/local-path' }), 'none'],
    ['hand-made volume', pv('pvc-a', '/data/storage/pvc-a_ns_c', { provisioner: null }), 'none'],
    ['outside the base', withPhase(pv('pvc-a', '/etc/pvc-a'), 'Released'), 'refuse'],
    ['the base itself', withPhase(pv('pvc-a', '/data/storage'), 'Released'), 'refuse'],
    ['not pvc-*', withPhase(pv('pvc-a', '/data/storage/data'), 'Released'), 'refuse'],
    ['dot-dot', withPhase(pv('pvc-a', '/data/storage/../pvc-a'), 'Released'), 'refuse'],
    ['nested', withPhase(pv('pvc-a', '/data/storage/x/pvc-a'), 'Released'), 'refuse'],
    ['relative', withPhase(pv('pvc-a', 'data/storage/pvc-a'), 'Released'), 'refuse'],
  ];
  for (const [name, v, want] of cases) assert.equal(volumeAction(v, here, bases).kind, want, name);
  // Simulated nodes accept any base, still only pvc-* folders.
  assert.equal(volumeAction(withPhase(pv('pvc-a', '/srv/elsewhere/pvc-a_ns_c'), 'Released'), here, 'any').kind, 'remove');
  assert.equal(volumeAction(withPhase(pv('pvc-a', '/srv/elsewhere/data'), 'Released'), here, 'any').kind, 'refuse');
  assert.equal(volumeAction(withPhase(pv('pvc-a', '/srv/../pvc-a'), 'Released'), here, 'any').kind, 'refuse');
});

test('startVolumeDirs makes the folder 0777, and on Released + Delete removes it and then the volume', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-localpath-'));
  const base = join(dir, 'storage');
  const api = await fakeApi();
  const ac = new AbortController();
  const running = startVolumeDirs({ client: api.client, hostnames: ['n1'], bases: [base], clock: realClock, logger: silentLogger }, ac.signal);
  const waitFor = async (cond: () => boolean | Promise<boolean>, what: string): Promise<void> => {
    const deadline = Date.now() + 3000;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    const pvs = api.client.resource(PV);
    const mine = join(base, 'pvc-a_default_data');
    const other = join(base, 'pvc-b_default_other');
    await pvs.create('', pv('pvc-a', mine));
    await pvs.create('', pv('pvc-b', other, { node: 'n2' }));
    // Made, then opened to every pod user (chmod after mkdir, past the umask).
    await waitFor(() => existsSync(mine) && (statSync(mine).mode & 0o777) === 0o777, 'folder created with mode 0777');
    writeFileSync(join(mine, 'file'), 'data');
    const created = await pvs.get('', 'pvc-a');
    await pvs.updateStatus({ ...created, status: { phase: 'Released' } });
    await waitFor(async () => {
      try {
        await pvs.get('', 'pvc-a');
        return false;
      } catch (e) {
        return (e as { code?: number }).code === 404;
      }
    }, 'volume deleted');
    assert.equal(existsSync(mine), false);
    assert.equal(existsSync(other), false, 'another node\'s folder is not made here');
    assert.ok(await pvs.get('', 'pvc-b'));
    // A folder under the server's path is refused until a local-path StorageClass publishes that path.
    const serverBase = join(dir, 'server-path');
    const published = join(serverBase, 'pvc-c_default_late');
    await pvs.create('', pv('pvc-c', published));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(existsSync(published), false);
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-path', annotations: { 'skiff.io/local-storage-path': serverBase } }, provisioner: 'skiff.io/local-path' } as KubeObject;
    await api.client.resource({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }).create('', sc);
    await waitFor(() => existsSync(published), 'folder under the published path created');
  } finally {
    ac.abort();
    await running;
    api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
