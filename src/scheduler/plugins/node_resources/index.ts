/** node_resources holds NodeResourcesFit (filter + LeastAllocated score) and NodeResourcesBalancedAllocation. */
export { NodeResourcesFit } from './fit.js';
export { NodeResourcesBalancedAllocation } from './balanced_allocation.js';
