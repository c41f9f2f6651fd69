/**
 * Names shared by skiff's local-path provisioner (server side, src/controllers/localpath) and its
 * node side (src/agent/localpath): k3s's local-path-provisioner, built in.
 */
import { isAbsolute, join, normalize, posix } from 'node:path';

/** LOCAL_PATH_PROVISIONER is the provisioner name of the built-in `local-path` StorageClass. */
export const LOCAL_PATH_PROVISIONER = 'skiff.io/local-path';
/** LOCAL_PATH_STORAGE_CLASS is the name of the built-in class (k3s's). */
export const LOCAL_PATH_STORAGE_CLASS = 'local-path';
/**
 * LOCAL_STORAGE_PATH_ANNOTATION on a Node is the folder its agent keeps local-path volumes in
 * (`<data-dir>/storage`); on the built-in StorageClass it is the server's
 * `--default-local-storage-path`, which tells every node that folder is one of its storage paths.
 */
export const LOCAL_STORAGE_PATH_ANNOTATION = 'skiff.io/local-storage-path';
/** ANN_PROVISIONED_BY on a volume names the provisioner that created it. */
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** LOCAL_PATH_NODE_LABEL is the node label the volumes' node affinity names (local-path-provisioner's KeyNode). */
export const LOCAL_PATH_NODE_LABEL = 'kubernetes.io/hostname';

/** localPathVolumeName is the name of the volume provisioned for a claim (external-provisioner's `pvc-<claim uid>`). */
export function localPathVolumeName(claimUID: string): string {
  return `pvc-${claimUID}`;
}

/** localPathVolumeDir is a volume's folder: `<base>/<volume>_<namespace>_<claim>`, as local-path-provisioner names it. */
export function localPathVolumeDir(base: string, volumeName: string, namespace: string, claimName: string): string {
  return join(base, `${volumeName}_${namespace}_${claimName}`);
}

/**
 * isRemovableVolumeDir tells whether path is a folder the node side may create or delete: an
 * absolute, normalized path named `pvc-*` directly inside one of the configured bases. Anything
 * else (a hand-made volume pointing at `/`, `..` tricks) is left alone.
 */
export function isRemovableVolumeDir(path: string, bases: readonly string[]): boolean {
  if (!isAbsolute(path) || normalize(path) !== path || path.endsWith('/')) return false;
  const name = posix.basename(path);
  if (!name.startsWith('pvc-') || name.includes('/')) return false;
  const parent = posix.dirname(path);
  return bases.some((b) => isAbsolute(b) && normalize(b).replace(/\/+$/, '') === parent);
}
