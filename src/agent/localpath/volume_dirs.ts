/**
 * The node side of the local-path provisioner (what k3s's local-path-provisioner does with its
 * helper pods): each node makes the folders of the local-path volumes pinned to it, and when such
 * a volume is Released under reclaim policy Delete, removes the folder and then the volume.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { arr, str } from '../../api/object.js';
import { ANN_PROVISIONED_BY, LOCAL_PATH_NODE_LABEL, LOCAL_PATH_PROVISIONER, LOCAL_STORAGE_PATH_ANNOTATION, isRemovableVolumeDir } from '../../api/resources/storage/local_path.js';
import type { KubeObject } from '../../api/types.js';
import type { GroupVersionResource, ResourceClient } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import type { EventRecorder } from '../../client/events.js';
import { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';

const PERSISTENT_VOLUMES: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumes' };
const STORAGE_CLASSES: GroupVersionResource = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

/** VolumeDirsOptions configure the node side for one node (or several simulated ones). */
export interface VolumeDirsOptions {
  /** client lists, watches and deletes PersistentVolumes (the `system:skiff:local-path` user). */
  client: { resource(gvr: GroupVersionResource): ResourceClient };
  /** hostnames are the `kubernetes.io/hostname` labels of the nodes served (usually one). */
  hostnames: string[];
  /**
   * bases are the folders volumes may live in (the node's `<data-dir>/storage`), besides the
   * server's `--default-local-storage-path` that the local-path StorageClasses publish; 'any'
   * accepts any folder a pvc-* path names (simulated nodes, which touch no files).
   */
  bases: string[] | 'any';
  /** files makes and removes folders (default: on disk); simulated nodes pass SIMULATED_FILES. */
  files?: VolumeFiles;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
}

/** VolumeFiles makes and removes volume folders. */
export interface VolumeFiles {
  make(path: string): Promise<void>;
  remove(path: string): Promise<void>;
}

/** SIMULATED_FILES touch nothing: simulated nodes keep no data, yet release and delete their volumes. */
export const SIMULATED_FILES: VolumeFiles = { make: async () => undefined, remove: async () => undefined };

/** volumeHostnames are the hostname values of a volume's required node affinity (`kubernetes.io/hostname In [...]`). */
export function volumeHostnames(pv: KubeObject): string[] {
  const out: string[] = [];
  for (const term of arr(pv, 'spec', 'nodeAffinity', 'required', 'nodeSelectorTerms')) {
    for (const e of arr(term, 'matchExpressions')) {
      if (str(e, 'key') === LOCAL_PATH_NODE_LABEL && str(e, 'operator') === 'In') out.push(...arr(e, 'values').filter((v): v is string => typeof v === 'string'));
    }
  }
  return out;
}

/** publishedBases are the storage paths local-path StorageClasses carry (the server's --default-local-storage-path). */
export function publishedBases(classes: KubeObject[]): string[] {
  const out: string[] = [];
  for (const c of classes) {
    const path = c.metadata.annotations?.[LOCAL_STORAGE_PATH_ANNOTATION];
    if (str(c, 'provisioner') === LOCAL_PATH_PROVISIONER && path) out.push(path);
  }
  return out;
}

/** VolumeAction is what the node does about one volume. */
export type VolumeAction = { kind: 'none' } | { kind: 'refuse'; path: string } | { kind: 'create'; path: string } | { kind: 'remove'; path: string };

/** volumeAction decides (pure): ours and pinned here → make the folder, or remove it once Released under Delete. */
export function volumeAction(pv: KubeObject, hostnames: ReadonlySet<string>, bases: readonly string[] | 'any'): VolumeAction {
  if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return { kind: 'none' };
  if (!volumeHostnames(pv).some((h) => hostnames.has(h))) return { kind: 'none' };
  const path = str(pv, 'spec', 'hostPath', 'path') ?? '';
  if (!isRemovableVolumeDir(path, bases === 'any' ? [dirname(path)] : bases)) return { kind: 'refuse', path };
  const phase = str(pv, 'status', 'phase');
  if (phase === 'Released') return str(pv, 'spec', 'persistentVolumeReclaimPolicy') === 'Delete' ? { kind: 'remove', path } : { kind: 'none' };
  if (phase === 'Failed' || pv.metadata.deletionTimestamp) return { kind: 'none' };
  return { kind: 'create', path };
}

/** DISK_FILES make folders world-writable (0777, as the provisioner's helper's `mkdir -m 0777 -p`), so any pod user can write. */
const DISK_FILES: VolumeFiles = {
  async make(path) {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    await mkdir(path, { recursive: true, mode: 0o777 });
    // mkdir's mode passes through the umask.
    await chmod(path, 0o777);
  },
  remove: (path) => rm(path, { recursive: true, force: true }),
};

/**
 * startVolumeDirs runs the node side until the signal aborts: one PersistentVolume informer and a
 * queue of volume names. Folders already made are remembered, so updates of bound volumes cost
 * no file system calls.
 */
export async function startVolumeDirs(o: VolumeDirsOptions, signal: AbortSignal): Promise<void> {
  const pvClient = o.client.resource(PERSISTENT_VOLUMES);
  const informer = new Informer({ client: pvClient, logger: o.logger.child('informer/persistentvolumes') });
  const queue = new WorkQueue(o.clock, { baseDelayMs: 500, maxDelayMs: 60_000 });
  const hostnames = new Set(o.hostnames);
  const made = new Set<string>();
  // uids whose folder is gone and whose delete was sent: later updates of the dying object are no-ops.
  const removed = new Set<string>();
  const refused = new Set<string>();
  const files = o.files ?? DISK_FILES;
  const enqueue = (pv: KubeObject): void => queue.add(pv.metadata.name ?? '');
  const forget = (pv: KubeObject): void => {
    made.delete(pv.metadata.name ?? '');
    refused.delete(pv.metadata.name ?? '');
    removed.delete(pv.metadata.uid ?? '');
  };
  informer.addHandlers({ onAdd: enqueue, onUpdate: (_, pv) => enqueue(pv), onDelete: (pv) => forget(pv) });
  const classes = o.bases === 'any' ? undefined : new Informer({ client: o.client.resource(STORAGE_CLASSES), logger: o.logger.child('informer/storageclasses') });
  // A newly published path may make refused volumes ours.
  const retryRefused = (): void => {
    for (const name of refused) queue.add(name);
  };
  classes?.addHandlers({ onAdd: retryRefused, onUpdate: retryRefused });
  void informer.run(signal);
  if (classes) {
    void classes.run(signal);
    // Volumes wait for the published paths (a stop ends the wait).
    await Promise.race([classes.waitForSync(), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
  }
  const basesNow = (): string[] | 'any' => (o.bases === 'any' ? 'any' : [...o.bases, ...publishedBases(classes?.list() ?? [])]);
  const sync = async (name: string): Promise<void> => {
    const pv = informer.get(name);
    if (!pv) return;
    const action = volumeAction(pv, hostnames, basesNow());
    if (action.kind === 'refuse') {
      if (!refused.has(name)) o.logger.warn('local-path volume left alone: its folder is not a pvc-* folder directly under a storage path', { volume: name, path: action.path, bases: String(basesNow()) });
      refused.add(name);
      return;
    }
    refused.delete(name);
    if (action.kind === 'create' && !made.has(name)) {
      await files.make(action.path);
      made.add(name);
    } else if (action.kind === 'remove' && !removed.has(pv.metadata.uid ?? '')) {
      await removeVolume(o, files, pvClient, pv, action.path);
      made.delete(name);
      removed.add(pv.metadata.uid ?? '');
    }
  };
  await runController({ name: 'local-path-node', queue, sync, workers: 2, logger: o.logger, signal });
}

/** removeVolume deletes the folder, then the volume object (uid precondition: a new volume of that name is not touched). */
async function removeVolume(o: VolumeDirsOptions, files: VolumeFiles, pvClient: ResourceClient, pv: KubeObject, path: string): Promise<void> {
  try {
    await files.remove(path);
  } catch (e) {
    o.recorder?.event(pv, 'Warning', 'VolumeFailedDelete', `failed to delete volume ${pv.metadata.name ?? ''}: ${(e as Error).message}`);
    throw e;
  }
  o.logger.info('deleted local-path volume', { volume: pv.metadata.name, path });
  try {
    await pvClient.delete('', pv.metadata.name ?? '', { preconditions: { uid: pv.metadata.uid ?? '' } });
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code !== 404 && code !== 409) throw e;
  }
}
