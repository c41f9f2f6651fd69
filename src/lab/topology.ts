/** HostRole is what a lab host runs: the server, an agent, an image registry, or nothing (kubectl's seat). */
export type HostRole = 'controller' | 'worker' | 'client' | 'registry';

/** isNodeHost is true for the hosts that run a Kubernetes node (controller and workers). */
export function isNodeHost(h: { role: HostRole }): boolean {
  return h.role === 'controller' || h.role === 'worker';
}

/** HostPlan is one lab host: a network namespace with one veth to the switch. */
export interface HostPlan {
  /** name is the host (and node) name: controller, worker1…, client. */
  name: string;
  role: HostRole;
  /** netns is the namespace name under /run/netns: `<lab>-<host>`. */
  netns: string;
  /** ip is the host's address on the lab subnet; prefix its length. */
  ip: string;
  prefix: number;
  /** switchPort is the veth end inside the switch namespace (the host end is eth0). */
  switchPort: string;
}

/** LabPlan is the whole topology of a lab. */
export interface LabPlan {
  name: string;
  subnet: string;
  switchNetns: string;
  /** bridge is the bridge inside the switch namespace that every host's veth joins. */
  bridge: string;
  hosts: HostPlan[];
}

/** HOST_OFFSETS are the host numbers inside the subnet: controller .10, workers .11…, client .5, registry .6. */
export const HOST_OFFSETS = { client: 5, registry: 6, controller: 10, firstWorker: 11 } as const;

/** REGISTRY_PORT is the port of the lab registry (plain HTTP, as Debian's docker-registry serves by default). */
export const REGISTRY_PORT = 5000;

function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * planLab lays out a lab: `<name>-switch` plus `<name>-controller`, `<name>-worker1..N`,
 * `<name>-client` and, with `registry`, `<name>-registry`, addressed from `subnet`. Throws with
 * what to fix when the name, the worker count or the subnet cannot hold the lab.
 */
export function planLab(opts: { name: string; workers: number; subnet: string; registry?: boolean }): LabPlan {
  const { name, workers, subnet } = opts;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(name)) throw new Error(`invalid lab name ${JSON.stringify(name)}: lowercase letters, digits and '-', starting with a letter, at most 20 characters`);
  if (!Number.isInteger(workers) || workers < 0 || workers > 99) throw new Error(`invalid worker count ${workers}: want 0 to 99`);
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(subnet);
  const base = m ? parseIPv4(m[1]!) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (base === undefined || !(prefix >= 8 && prefix <= 28)) throw new Error(`invalid --subnet ${JSON.stringify(subnet)}: want an IPv4 CIDR such as 10.77.0.0/24 (prefix 8 to 28)`);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) throw new Error(`invalid --subnet ${subnet}: host bits are set (did you mean ${formatIPv4(base - (base % size))}/${prefix}?)`);
  const last = HOST_OFFSETS.firstWorker + workers - 1;
  if (last >= size - 1) throw new Error(`--subnet ${subnet} is too small for ${workers} workers (hosts use .5, .10 and .11 to .${last})`);
  const host = (hostName: string, role: HostRole, offset: number): HostPlan => ({
    name: hostName,
    role,
    netns: `${name}-${hostName}`,
    ip: formatIPv4(base + offset),
    prefix,
    switchPort: `p-${hostName}`,
  });
  const hosts = [host('controller', 'controller', HOST_OFFSETS.controller)];
  for (let i = 1; i <= workers; i++) hosts.push(host(`worker${i}`, 'worker', HOST_OFFSETS.firstWorker + i - 1));
  hosts.push(host('client', 'client', HOST_OFFSETS.client));
  if (opts.registry) hosts.push(host('registry', 'registry', HOST_OFFSETS.registry));
  return { name, subnet, switchNetns: `${name}-switch`, bridge: 'br0', hosts };
}
