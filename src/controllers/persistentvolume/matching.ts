/** Which PersistentVolume a claim may bind to: the rules live in the API layer, shared with the scheduler's volume binding. */
export { claimRequest, findBestMatch, isPreBoundTo, mismatch, quantityOf, volumeCapacity } from '../../api/resources/core/pv_matching.js';
