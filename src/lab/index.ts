// Public surface of `skiff lab`: multi-node clusters in network namespaces on one machine.
export { labUp, requireRoot, type LabUpOptions } from './up.js';
export { labDown } from './down.js';
export { labExec, labHalt, labStart, labRestart, type ExecResult } from './ops.js';
export { clientKubeconfigPath, readyNodes, LAB_API_PORT } from './cluster.js';
export { readLabState, DEFAULT_LAB_ROOT, type LabState, type LabHostState } from './state.js';
export { planLab, type LabPlan, type HostPlan, type HostRole } from './topology.js';
export { labPush, registryAvailable, registryHost, registryAddress } from './registry.js';
