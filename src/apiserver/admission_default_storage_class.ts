import { STORAGE_CLASS_ANNOTATION } from '../api/resources/core/core_volumes.js';
import { defaultStorageClassOf } from '../api/resources/storage/storageclasses.js';
import { isObject, type KubeObject } from '../api/types.js';
import type { AdmissionPlugin } from './admission.js';

/**
 * defaultStorageClass is the DefaultStorageClass admission plugin: a PersistentVolumeClaim created
 * without spec.storageClassName (and without the beta class annotation) gets the default
 * StorageClass's name (the newest when several are marked default), as kube-apiserver 1.32 does.
 * An empty storageClassName ("") asks for no class and is left alone.
 */
export function defaultStorageClass(classes: () => KubeObject[]): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    admit(req) {
      if (req.operation !== 'CREATE' || req.subresource !== '' || req.type.group !== '' || req.type.plural !== 'persistentvolumeclaims') return;
      const spec = isObject(req.obj.spec) ? req.obj.spec : (req.obj.spec = {});
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      if (req.obj.metadata.annotations?.[STORAGE_CLASS_ANNOTATION] !== undefined) return;
      const def = defaultStorageClassOf(classes());
      if (def?.metadata.name) spec.storageClassName = def.metadata.name;
    },
  };
}
