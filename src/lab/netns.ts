import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { ip } from './command.js';
import type { HostPlan, LabPlan } from './topology.js';

/** netnsExists tells whether /run/netns/NAME exists. */
export function netnsExists(name: string): boolean {
  return existsSync(`/run/netns/${name}`);
}

/**
 * createSwitch makes the switch namespace with its bridge up. Nothing in it has an address and
 * nothing links it to the root namespace: the lab is a closed L2 segment.
 */
export async function createSwitch(plan: LabPlan): Promise<void> {
  await ip(undefined, 'netns', 'add', plan.switchNetns);
  await ip(plan.switchNetns, 'link', 'set', 'lo', 'up');
  await ip(plan.switchNetns, 'link', 'add', plan.bridge, 'type', 'bridge');
  await ip(plan.switchNetns, 'link', 'set', plan.bridge, 'up');
}

/**
 * createHost makes the host's namespace and its veth: `eth0` in the host, its peer created
 * directly inside the switch namespace and enslaved to the bridge (no end ever exists in the
 * root namespace). The host gets its lab address and no default route.
 */
export async function createHost(plan: LabPlan, host: HostPlan): Promise<void> {
  await ip(undefined, 'netns', 'add', host.netns);
  await ip(host.netns, 'link', 'set', 'lo', 'up');
  await ip(plan.switchNetns, 'link', 'add', host.switchPort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns);
  await ip(plan.switchNetns, 'link', 'set', host.switchPort, 'master', plan.bridge);
  await ip(host.netns, 'addr', 'add', `${host.ip}/${host.prefix}`, 'dev', 'eth0');
  await setHostLink(plan, host, 'up');
}

/**
 * routeServices sends a node host's traffic for the Service range onto its cable, as a real
 * machine's default route would: the node's own processes and hostNetwork pods then reach
 * ClusterIPs (the proxy rewrites them before they leave). Nothing else is routed anywhere.
 * The route goes with the link, so `lab start` adds it again.
 */
export async function routeServices(host: HostPlan, serviceCIDR: string): Promise<void> {
  await ip(host.netns, 'route', 'replace', serviceCIDR, 'dev', 'eth0');
}

/** setHostLink sets both ends of a host's veth up or down (down = cable pulled). */
export async function setHostLink(plan: Pick<LabPlan, 'switchNetns'>, host: HostPlan, state: 'up' | 'down'): Promise<void> {
  await ip(plan.switchNetns, 'link', 'set', host.switchPort, state);
  await ip(host.netns, 'link', 'set', 'eth0', state);
}

/** deleteNetns removes a namespace if it exists (its veths go with it). */
export async function deleteNetns(name: string): Promise<void> {
  if (netnsExists(name)) await ip(undefined, 'netns', 'del', name);
}

/**
 * podNetnsOf lists the pod namespaces (`cni-…`, made by containerd's CRI) whose interfaces are
 * linked into one of the given namespaces: the lab's pods, to be deleted with the lab.
 */
export async function podNetnsOf(labNetns: string[]): Promise<string[]> {
  const names = existsSync('/run/netns') ? await readdir('/run/netns') : [];
  const out: string[] = [];
  for (const n of names.filter((x) => x.startsWith('cni-'))) {
    const ids = await ip(n, 'netns', 'list-id').catch(() => '');
    const peers = [...ids.matchAll(/iproute2 netns name: ([^)\s]+)/g)].map((m) => m[1]);
    if (peers.some((p) => p !== undefined && labNetns.includes(p))) out.push(n);
  }
  return out;
}
