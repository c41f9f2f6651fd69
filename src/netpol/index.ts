export { startNetworkPolicy, cleanupNetworkPolicy } from './controller.js';
export type { CommandRunner, NetpolSource, NetworkPolicyOptions, NetworkPolicyController } from './controller.js';
export { enableBridgeNetfilter } from './bridge_netfilter.js';
export { netpolModel, policyId } from './model.js';
export type { NetpolInput, PolicyModel, RuleModel } from './model.js';
export { buildTable, renderFull, renderChanges, NETPOL_TABLE } from './ruleset.js';
export type { NetpolTable } from './ruleset.js';
