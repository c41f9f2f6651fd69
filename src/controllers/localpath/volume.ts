/** The pure decisions of the local-path provisioner: which claims it serves, what it refuses, the volume it creates. */
import { arr, deepCopy, objAt, str } from '../../api/object.js';
import { storageClassOf } from '../../api/resources/core/core_volumes.js';
import {
  ANN_PROVISIONED_BY,
  LOCAL_PATH_NODE_LABEL,
  LOCAL_PATH_PROVISIONER,
  LOCAL_STORAGE_PATH_ANNOTATION,
  localPathVolumeDir,
  localPathVolumeName,
} from '../../api/resources/storage/local_path.js';
import type { KubeObject } from '../../api/types.js';

/** ANN_SELECTED_NODE on a claim names the node the scheduler chose for its first consumer. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The binder's request to a provisioner (GA and beta spellings). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';

/**
 * shouldProvision is external-provisioner's shouldProvision for skiff.io/local-path: the claim is
 * unbound, the binder asked this provisioner for it (storage-provisioner annotation), its class
 * uses this provisioner, and a WaitForFirstConsumer class has its node chosen.
 */
export function shouldProvision(claim: KubeObject, cls: KubeObject | undefined): boolean {
  if (!cls || str(cls, 'provisioner') !== LOCAL_PATH_PROVISIONER) return false;
  if (claim.metadata.deletionTimestamp || str(claim, 'spec', 'volumeName')) return false;
  const a = claim.metadata.annotations ?? {};
  if (a[ANN_STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER && a[ANN_BETA_STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER) return false;
  if (str(cls, 'volumeBindingMode') === 'WaitForFirstConsumer') return a[ANN_SELECTED_NODE] !== undefined;
  return true;
}

/** blockRefusal is the lib's refusal of raw block claims, which a folder cannot serve. */
export function blockRefusal(claim: KubeObject): string | undefined {
  if (str(claim, 'spec', 'volumeMode') === 'Block') return `${LOCAL_PATH_PROVISIONER} does not support block volume provisioning`;
  return undefined;
}

/**
 * provisionRefusal is what local-path-provisioner's Provision refuses, in its order: a selector,
 * access modes other than ReadWriteOnce/ReadWriteOncePod (a folder on one node), no node.
 */
export function provisionRefusal(claim: KubeObject, node: string | undefined): string | undefined {
  if (objAt(claim, 'spec', 'selector')) return 'claim.Spec.Selector is not supported';
  for (const mode of arr(claim, 'spec', 'accessModes')) {
    if (mode !== 'ReadWriteOnce' && mode !== 'ReadWriteOncePod') return 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes';
  }
  if (!node) return 'configuration error, no node was specified';
  return undefined;
}

/** storageBase picks the folder volumes go in: the server flag, else the node's annotation, else the server's fallback. */
export function storageBase(node: KubeObject, cfg: { defaultPath: string; fallbackPath: string }): string {
  return cfg.defaultPath || node.metadata.annotations?.[LOCAL_STORAGE_PATH_ANNOTATION] || cfg.fallbackPath;
}

/**
 * buildLocalPathVolume is the PersistentVolume provisioned for a claim on a node: a hostPath
 * folder under base (DirectoryOrCreate), pinned to the node by its hostname label, pre-bound to
 * the claim (with its uid) so the binder completes the bind, with the class's reclaim policy.
 */
export function buildLocalPathVolume(claim: KubeObject, cls: KubeObject, node: KubeObject, base: string): KubeObject {
  const name = localPathVolumeName(claim.metadata.uid ?? '');
  const namespace = claim.metadata.namespace ?? '';
  const claimName = claim.metadata.name ?? '';
  const hostname = node.metadata.labels?.[LOCAL_PATH_NODE_LABEL] ?? node.metadata.name ?? '';
  const storage = str(claim, 'spec', 'resources', 'requests', 'storage') ?? '0';
  const spec: Record<string, unknown> = {
    capacity: { storage },
    accessModes: deepCopy(arr(claim, 'spec', 'accessModes')),
    persistentVolumeReclaimPolicy: str(cls, 'reclaimPolicy') ?? 'Delete',
    volumeMode: 'Filesystem',
    storageClassName: storageClassOf(claim),
    hostPath: { path: localPathVolumeDir(base, name, namespace, claimName), type: 'DirectoryOrCreate' },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: LOCAL_PATH_NODE_LABEL, operator: 'In', values: [hostname] }] }] } },
    claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace, name: claimName, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
  };
  const mountOptions = arr(cls, 'mountOptions');
  if (mountOptions.length) spec.mountOptions = deepCopy(mountOptions);
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } }, spec };
}
