export { startClusterDNS, readUpstreams, answerFromZone, truncateForUdp, type ClusterDNSOptions, type RunningDNS, type Upstream } from './server.js';
export { ClusterRecords, TTL, type ClusterAnswer, type Lookup } from './records.js';
export { publishNodeDNSEndpoint, nodeDNSSlice, DNS_SERVICE } from './node_endpoint.js';
