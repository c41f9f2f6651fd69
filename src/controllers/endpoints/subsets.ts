import type { KubeObject } from '../../api/types.js';
import { field, str } from '../../api/object.js';
import { isHeadless, isPodReady, isPodTerminal, podHostname, podIP, podReference, resolveTargetPort, servicePorts } from './service_pods.js';

/** EndpointPort is one port of an Endpoints subset. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** EndpointAddress is one address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: Record<string, string>;
}

/** EndpointSubset groups addresses that share the same ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** endpointAddress builds the address of a pod backing a Service. */
function endpointAddress(pod: KubeObject, svc: KubeObject, ip: string): EndpointAddress {
  const a: EndpointAddress = { ip, targetRef: podReference(pod) };
  const hostname = podHostname(pod, svc);
  if (hostname) a.hostname = hostname;
  const node = str(pod, 'spec', 'nodeName');
  if (node) a.nodeName = node;
  return a;
}

/** podPorts returns the endpoint ports a pod serves for the Service (undefined: the pod serves none). */
function podPorts(svc: KubeObject, pod: KubeObject): EndpointPort[] | undefined {
  const sps = servicePorts(svc);
  if (sps.length === 0) return isHeadless(svc) ? [] : undefined;
  const out: EndpointPort[] = [];
  for (const sp of sps) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue; // a named port this pod does not have
    const ep: EndpointPort = { port, protocol: sp.protocol };
    if (sp.name) ep.name = sp.name;
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out.length ? out : undefined;
}

const byIP = (a: EndpointAddress, b: EndpointAddress): number => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef.name ?? '').localeCompare(b.targetRef.name ?? ''));
const portKey = (p: EndpointPort): string => `${p.name ?? ''}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`;

/**
 * desiredSubsets computes an Endpoints' subsets for the pods a Service selects, as the upstream
 * endpoints controller does: pods without an IP or finished are skipped, terminating pods too
 * unless publishNotReadyAddresses; not-ready pods go to notReadyAddresses; ports whose address sets
 * are identical share one subset (the "repacked" form), everything sorted so equal inputs give equal
 * output.
 */
export function desiredSubsets(svc: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const publishNotReady = field(svc, 'spec', 'publishNotReadyAddresses') === true;
  // For each port: the addresses (keyed ip|uid) serving it and whether each is ready.
  const byPort = new Map<string, { port: EndpointPort | undefined; addrs: Map<string, { addr: EndpointAddress; ready: boolean }> }>();
  for (const pod of pods) {
    const ip = podIP(pod);
    if (!ip || isPodTerminal(pod) || (pod.metadata.deletionTimestamp && !publishNotReady)) continue;
    const ports = podPorts(svc, pod);
    if (!ports) continue;
    const ready = publishNotReady || isPodReady(pod);
    const addr = endpointAddress(pod, svc, ip);
    for (const port of ports.length ? ports : [undefined]) {
      const k = port ? portKey(port) : '';
      let entry = byPort.get(k);
      if (!entry) byPort.set(k, (entry = { port, addrs: new Map() }));
      entry.addrs.set(`${ip}|${pod.metadata.uid ?? ''}`, { addr, ready });
    }
  }
  // Ports with identical address sets share a subset.
  const groups = new Map<string, EndpointSubset>();
  for (const { port, addrs } of byPort.values()) {
    const entries = [...addrs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sig = entries.map(([k, v]) => `${k}:${v.ready ? 1 : 0}`).join(',');
    let subset = groups.get(sig);
    if (!subset) {
      const ready = entries.filter(([, v]) => v.ready).map(([, v]) => v.addr).sort(byIP);
      const notReady = entries.filter(([, v]) => !v.ready).map(([, v]) => v.addr).sort(byIP);
      subset = {};
      if (ready.length) subset.addresses = ready;
      if (notReady.length) subset.notReadyAddresses = notReady;
      groups.set(sig, subset);
    }
    if (port) (subset.ports ??= []).push(port);
  }
  const subsets = [...groups.values()];
  for (const s of subsets) s.ports?.sort((a, b) => (portKey(a) < portKey(b) ? -1 : 1));
  const first = (s: EndpointSubset): string => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return subsets.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : JSON.stringify(a.ports) < JSON.stringify(b.ports) ? -1 : 1));
}
