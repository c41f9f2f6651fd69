// Public surface of the node agent; the composition root (src/cli) imports from here.
export { Agent, type AgentOptions } from './agent.js';
export { NodeFleet, type FleetNode, type NodeFleetOptions } from './fleet.js';
export { nodeCapacity, parseNodeCapacity, parseNodeLabel, parseNodeTaint, type MachineResources, type Taint } from './node/config.js';
export { NODE_LEASE_NAMESPACE } from './node/heartbeat.js';
export { KUBELET_VERSION, nodeLabels, type NodeConfig } from './node/node_object.js';
export { firstIPv4, readSystemInfo, type SystemInfo } from './node/system_info.js';
export { FAKE_EXIT_CODE_ANNOTATION, FakeRuntime, type FakeRuntimeOptions } from './runtime/fake.js';
export type { Runtime, RuntimePodStatus } from './runtime/runtime.js';
export { DEFAULT_KUBELET_PORT, FleetKubeletServer, KubeletServer, criLogPath, criStreaming, selfSignedKubeletCert, type KubeletServerOptions, type KubeletTLS, type StreamingRuntime } from './server/index.js';
export { SIMULATED_FILES, startVolumeDirs, volumeAction, type VolumeDirsOptions, type VolumeFiles } from './localpath/volume_dirs.js';
export { HOUSEKEEPING_MS, machineOf, NodeStatsCollector, type NodeStatsSnapshot, type RuntimeStats } from './stats/index.js';
export { SIMULATED_CPU_ANNOTATION, SIMULATED_MEMORY_ANNOTATION } from './runtime/fake_stats.js';
