import type { KubeObject } from '../../api/types.js';
import { field, str } from '../../api/object.js';
import { isHeadless, isPodReady, isPodTerminal, podHostname, podIP, podReference, resolveTargetPort, servicePorts } from '../endpoints/service_pods.js';

/** SlicePort is one discovery.k8s.io/v1 EndpointPort. */
export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** SliceEndpoint is one discovery.k8s.io/v1 Endpoint (one pod). */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: Record<string, string>;
}

/** EndpointGroup is a set of endpoints sharing the same ports (they may share slices). */
export interface EndpointGroup {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

/** endpointKey identifies an endpoint across syncs (its pod). */
export const endpointKey = (e: SliceEndpoint): string => `${e.targetRef.uid ?? ''}|${e.addresses[0] ?? ''}`;

function slicePorts(svc: KubeObject, pod: KubeObject): SlicePort[] | undefined {
  const sps = servicePorts(svc);
  if (sps.length === 0) return isHeadless(svc) ? [] : undefined;
  const out: SlicePort[] = [];
  for (const sp of sps) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name, port, protocol: sp.protocol };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out.length ? out : undefined;
}

function sliceEndpoint(svc: KubeObject, pod: KubeObject, ip: string): SliceEndpoint {
  const publishNotReady = field(svc, 'spec', 'publishNotReadyAddresses') === true;
  const terminating = !!pod.metadata.deletionTimestamp;
  const podReady = isPodReady(pod);
  const e: SliceEndpoint = {
    addresses: [ip],
    conditions: { ready: publishNotReady || (podReady && !terminating), serving: publishNotReady || podReady, terminating },
    targetRef: podReference(pod),
  };
  const hostname = podHostname(pod, svc);
  if (hostname) e.hostname = hostname;
  const node = str(pod, 'spec', 'nodeName');
  if (node) e.nodeName = node;
  return e;
}

/**
 * desiredGroups computes the endpoints of a Service, grouped by port set, as the upstream
 * EndpointSlice controller does: every selected pod with an IPv4 address that has not finished,
 * terminating ones included (conditions tell consumers what to do with them).
 */
export function desiredGroups(svc: KubeObject, pods: KubeObject[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    const ip = podIP(pod);
    if (!ip || ip.includes(':') || isPodTerminal(pod)) continue;
    const ports = slicePorts(svc, pod);
    if (!ports) continue;
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(sliceEndpoint(svc, pod, ip));
  }
  return [...groups.values()];
}
