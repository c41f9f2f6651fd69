import type { GroupVersionResource } from '../../client/client.js';

/** The resources the local-path provisioner watches and writes. */
export const PERSISTENT_VOLUMES: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumes' };
export const PERSISTENT_VOLUME_CLAIMS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const STORAGE_CLASSES: GroupVersionResource = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };
export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
