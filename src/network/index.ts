// Public surface of the pod network component (imports: client, api, lib).
export { startPodNetwork, stopPodNetwork, cleanupPodNetwork, type PodNetwork, type PodNetworkOptions } from './pod_network.js';
export { cniConflist, cniConfPath, cniConfDir, cniIpamDir, writeCniConfig, findCniBinDir, BRIDGE_NAME, CNI_NETWORK_NAME, CNI_PLUGINS, CNI_BIN_DIRS } from './cni_config.js';
export { podNetworkRuleset, NFT_TABLE } from './nft_ruleset.js';
export { desiredRoutes, nodeInternalIP, syncPodRoutes, listPodRoutes, ROUTE_PROTO, type PodRoute } from './routes.js';
export { runCommand, ToolMissingError, CommandError, TOOL_PACKAGES, type CommandRunner, type CommandResult } from './command.js';
