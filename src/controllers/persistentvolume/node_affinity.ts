/** Whether a PersistentVolume's spec.nodeAffinity admits a node (upstream's CheckNodeAffinity), shared with the scheduler. */
export { volumeFitsNode } from '../../api/resources/core/pv_matching.js';
