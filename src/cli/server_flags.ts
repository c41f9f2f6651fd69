import type { FlagSpec } from './flags.js';

/** serverFlags are `skiff server`'s flags, named as k3s names them. */
export const serverFlags: FlagSpec[] = [
  { name: 'config', alias: 'c', kind: 'string', default: '/etc/skiff/config.yaml', env: 'SKIFF_CONFIG_FILE', help: 'Load configuration from FILE' },
  { name: 'debug', kind: 'bool', default: false, env: 'SKIFF_DEBUG', help: 'Turn on debug logs' },
  { name: 'data-dir', alias: 'd', kind: 'string', default: '/var/lib/skiff', env: 'SKIFF_DATA_DIR', help: 'Folder to hold state' },
  { name: 'bind-address', kind: 'string', default: '0.0.0.0', help: 'skiff bind address' },
  { name: 'https-listen-port', kind: 'int', default: 6443, help: 'HTTPS listen port' },
  { name: 'advertise-address', kind: 'string', default: '', help: 'IPv4 address that the apiserver uses to advertise to members of the cluster (default: node-external-ip/node-ip)' },
  { name: 'tls-san', kind: 'list', default: [], help: 'Add additional hostnames or IPv4 addresses as Subject Alternative Names on the server TLS cert' },
  { name: 'write-kubeconfig', alias: 'o', kind: 'string', default: '/etc/skiff/skiff.yaml', env: 'SKIFF_KUBECONFIG_OUTPUT', help: 'Write kubeconfig for admin client to this file' },
  { name: 'write-kubeconfig-mode', kind: 'string', default: '0600', env: 'SKIFF_KUBECONFIG_MODE', help: 'Write kubeconfig with this mode' },
  { name: 'token', alias: 't', kind: 'string', default: '', env: 'SKIFF_TOKEN', help: 'Shared secret used to join a server or agent to a cluster' },
  { name: 'cluster-cidr', kind: 'string', default: '10.42.0.0/16', help: 'IPv4 network CIDR to use for pod IPs' },
  { name: 'service-cidr', kind: 'string', default: '10.43.0.0/16', help: 'IPv4 network CIDR to use for service IPs' },
  { name: 'service-node-port-range', kind: 'string', default: '30000-32767', help: 'Port range to reserve for services with NodePort visibility' },
  { name: 'cluster-dns', kind: 'string', default: '10.43.0.10', help: 'IPv4 Cluster IP for coredns service. Should be in your service-cidr range' },
  { name: 'cluster-domain', kind: 'string', default: 'cluster.local', help: 'Cluster Domain' },
  { name: 'datastore-endpoint', kind: 'string', default: '', env: 'SKIFF_DATASTORE_ENDPOINT', help: 'Datastore: sqlite:///path/to/state.db (default: <data-dir>/server/db/state.db)' },
  { name: 'disable-agent', kind: 'bool', default: false, help: 'Do not run a local agent and register a local kubelet' },
];
