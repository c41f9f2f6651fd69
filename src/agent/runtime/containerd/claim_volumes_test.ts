import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { PodVolumes } from './volumes.js';
import type { VolumeContext } from './volume_sources.js';

const POD_UID = 'pod-uid-1';

function claim(name: string, phase: string, volumeName: string, extra: Partial<KubeObject['metadata']> = {}, accessModes = ['ReadWriteOnce']): KubeObject {
  return { metadata: { name, namespace: 'db', uid: `uid-${name}`, ...extra }, spec: { volumeName, accessModes }, status: { phase } };
}

function volume(name: string, claimName: string, source: Record<string, unknown>): KubeObject {
  return { metadata: { name }, spec: { claimRef: { namespace: 'db', name: claimName, uid: `uid-${claimName}` }, ...source } };
}

function ctxFor(volumes: unknown[], claims: KubeObject[], pvs: KubeObject[]): VolumeContext {
  const pod: KubeObject = { metadata: { name: 'web-0', namespace: 'db', uid: POD_UID }, spec: { volumes } };
  return {
    pod,
    podIP: '10.42.0.7',
    hostIP: '192.168.1.10',
    allocatable: { cpu: 2, memory: 2 ** 30 },
    getConfigMap: () => Promise.resolve(undefined),
    getSecret: () => Promise.resolve(undefined),
    getPersistentVolumeClaim: (ns, n) => Promise.resolve(claims.find((c) => c.metadata.namespace === ns && c.metadata.name === n)),
    getPersistentVolume: (n) => Promise.resolve(pvs.find((v) => v.metadata.name === n)),
  };
}

const pvcVolume = (name: string, claimName: string, readOnly = false): unknown => ({ name, persistentVolumeClaim: { claimName, readOnly } });

test('claims bound to hostPath and local volumes mount their node paths; teardown keeps the data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-claim-'));
  try {
    const hostDir = join(dir, 'pv/data');
    const localDir = join(dir, 'disk1');
    mkdirSync(localDir);
    const claims = [claim('data', 'Bound', 'pv-host'), claim('logs', 'Bound', 'pv-local', {}, ['ReadOnlyMany']), claim('web-0-scratch', 'Bound', 'pv-eph', { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: POD_UID, controller: true }] })];
    const pvs = [volume('pv-host', 'data', { hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }), volume('pv-local', 'logs', { local: { path: localDir } }), volume('pv-eph', 'web-0-scratch', { hostPath: { path: join(dir, 'eph') } })];
    const vols = new PodVolumes(dir, POD_UID);
    const paths = await vols.setup(ctxFor([pvcVolume('data', 'data'), pvcVolume('logs', 'logs'), { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }, pvcVolume('ro', 'data', true)], claims, pvs), 0);
    assert.deepEqual(paths.get('data'), { path: hostDir, readOnly: false });
    assert.equal(statSync(hostDir).mode & 0o777, 0o755, 'DirectoryOrCreate makes the folder 0755');
    assert.deepEqual(paths.get('logs'), { path: localDir, readOnly: true }, 'a ReadOnlyMany claim mounts read-only');
    assert.deepEqual(paths.get('scratch'), { path: join(dir, 'eph'), readOnly: false });
    assert.deepEqual(paths.get('ro'), { path: hostDir, readOnly: true }, 'readOnly in the pod volume source');
    writeFileSync(join(hostDir, 'kept'), 'yes');
    await vols.teardown();
    assert.equal(readFileSync(join(hostDir, 'kept'), 'utf8'), 'yes', 'PV data outlives the pod');
    assert.ok(existsSync(localDir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('claims that cannot be used yet fail with the kubelet messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-claim-'));
  try {
    const vols = new PodVolumes(dir, POD_UID);
    const fail = (v: unknown[], claims: KubeObject[], pvs: KubeObject[] = []): Promise<unknown> => vols.setup(ctxFor(v, claims, pvs), 0);
    const processing = (names: string, msg: string): string => `Unable to attach or mount volumes: unmounted volumes=[${names}], unattached volumes=[], failed to process volumes=[${names}]: ${msg}`;
    await assert.rejects(fail([pvcVolume('data', 'x')], []), { message: processing('data', 'error processing PVC db/x: failed to fetch PVC from API server: persistentvolumeclaims "x" not found') });
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Pending', '')]), { message: processing('data', 'error processing PVC db/x: PVC is not bound') });
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1', { deletionTimestamp: '2026-01-01T00:00:00Z' })]), /PVC is being deleted$/);
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1')]), /error processing PVC db\/x: failed to fetch PV pv1 from API server: persistentvolumes "pv1" not found$/);
    const other = volume('pv1', 'x', { hostPath: { path: dir } });
    (other.spec as { claimRef: { uid: string } }).claimRef.uid = 'someone-else';
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1')], [other]), /found PV object pv1 but its pv.Spec.ClaimRef.UID someone-else does not point to claim.UID uid-x$/);
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1')], [volume('pv1', 'x', { nfs: { server: 'n', path: '/' } })]), /failed to get Plugin from volumeSpec for volume "pv1" err=no volume plugin matched$/);
    await assert.rejects(fail([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }], [claim('web-0-scratch', 'Bound', 'pv1')], [volume('pv1', 'web-0-scratch', { hostPath: { path: dir } })]), {
      message: processing('scratch', 'PVC db/web-0-scratch was not created for pod db/web-0 (pod is not owner)'),
    });
    // Every claim is processed; the failures are listed together.
    await assert.rejects(fail([pvcVolume('b', 'y'), pvcVolume('a', 'x')], [claim('x', 'Pending', '')]), { message: processing('a b', 'error processing PVC db/y: failed to fetch PVC from API server: persistentvolumeclaims "y" not found; error processing PVC db/x: PVC is not bound') });
    // Mount-time checks name the PV: local paths are never created, hostPath types apply.
    const missing = join(dir, 'nope');
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1')], [volume('pv1', 'x', { local: { path: missing } })]), { message: `MountVolume.NewMounter initialization failed for volume "pv1" : path "${missing}" does not exist` });
    assert.equal(existsSync(missing), false);
    await assert.rejects(fail([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1')], [volume('pv1', 'x', { hostPath: { path: missing, type: 'Directory' } })]), { message: `MountVolume.SetUp failed for volume "pv1" : hostPath type check failed: ${missing} is not a directory` });
    // A volume pinned to another node is not mounted here (and its DirectoryOrCreate folder not made).
    const pinned = volume('pv1', 'x', { hostPath: { path: missing, type: 'DirectoryOrCreate' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-b'] }] }] } } });
    const onNode = (hostname: string): VolumeContext => ({ ...ctxFor([pvcVolume('data', 'x')], [claim('x', 'Bound', 'pv1')], [pinned]), getNode: () => Promise.resolve({ metadata: { name: hostname, labels: { 'kubernetes.io/hostname': hostname } } }) });
    await assert.rejects(vols.setup(onNode('node-a'), 0), { message: 'MountVolume.NodeAffinity check failed for volume "pv1" : no matching NodeSelectorTerms' });
    assert.equal(existsSync(missing), false);
    assert.deepEqual((await vols.setup(onNode('node-b'), 0)).get('data'), { path: missing, readOnly: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
