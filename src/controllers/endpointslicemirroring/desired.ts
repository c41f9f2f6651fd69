import { isIPv4, isIPv6 } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { arr, num, str } from '../../api/object.js';

/** CONTROLLER_NAME is the managed-by label value of mirrored slices (upstream's). */
export const CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
/** MAX_ENDPOINTS_PER_SLICE caps a mirrored slice (--mirroring-max-endpoints-per-subset's default). */
export const MAX_ENDPOINTS_PER_SLICE = 1000;

// Endpoints annotations that describe the Endpoints object itself and are not copied.
const NOT_COPIED = new Set(['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration']);

/** DesiredSlice is one mirrored slice's content, identified by its ports and address type. */
export interface DesiredSlice {
  /** key: address type and ports, what an existing slice is matched on. */
  key: string;
  addressType: 'IPv4' | 'IPv6';
  ports: Record<string, unknown>[];
  endpoints: Record<string, unknown>[];
}

function slicePorts(subset: unknown): Record<string, unknown>[] {
  return arr(subset, 'ports').map((p) => {
    const out: Record<string, unknown> = { name: str(p, 'name') ?? '', port: num(p, 'port'), protocol: str(p, 'protocol') ?? 'TCP' };
    const app = str(p, 'appProtocol');
    if (app) out.appProtocol = app;
    return out;
  });
}

function endpointOf(address: unknown, ready: boolean): Record<string, unknown> {
  const e: Record<string, unknown> = { addresses: [str(address, 'ip')], conditions: { ready } };
  const ref = (address as { targetRef?: unknown }).targetRef;
  if (ref) e.targetRef = ref;
  const nodeName = str(address, 'nodeName');
  if (nodeName) e.nodeName = nodeName;
  const hostname = str(address, 'hostname');
  if (hostname) e.hostname = hostname;
  return e;
}

/** sliceKey identifies a slice by address type and ports, in order-independent form. */
export function sliceKey(addressType: string, ports: unknown[]): string {
  const ps = ports.map((p) => `${str(p, 'name') ?? ''}/${num(p, 'port')}/${str(p, 'protocol') ?? 'TCP'}/${str(p, 'appProtocol') ?? ''}`).sort();
  return `${addressType}|${ps.join(',')}`;
}

/**
 * desiredSlices mirrors an Endpoints object (upstream's endpointslicemirroring reconciler):
 * subsets with the same ports share slices, one address type per slice, ready addresses win over
 * not-ready duplicates, invalid IPs are skipped, at most MAX_ENDPOINTS_PER_SLICE per slice.
 */
export function desiredSlices(endpoints: KubeObject, max = MAX_ENDPOINTS_PER_SLICE): DesiredSlice[] {
  const groups = new Map<string, { addressType: 'IPv4' | 'IPv6'; ports: Record<string, unknown>[]; byIP: Map<string, Record<string, unknown>> }>();
  for (const subset of arr(endpoints, 'subsets')) {
    const ports = slicePorts(subset);
    const lists: [unknown[], boolean][] = [[arr(subset, 'addresses'), true], [arr(subset, 'notReadyAddresses'), false]];
    for (const [addresses, ready] of lists) {
      for (const address of addresses) {
        const ip = str(address, 'ip') ?? '';
        const addressType = isIPv4(ip) ? 'IPv4' : isIPv6(ip) ? 'IPv6' : undefined;
        if (!addressType) continue;
        const key = sliceKey(addressType, ports);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { addressType, ports, byIP: new Map() }));
        if (!g.byIP.has(ip) || ready) g.byIP.set(ip, endpointOf(address, ready));
      }
    }
  }
  const out: DesiredSlice[] = [];
  for (const [key, g] of groups) {
    const all = [...g.byIP.values()];
    for (let i = 0; i < all.length; i += max) out.push({ key, addressType: g.addressType, ports: g.ports, endpoints: all.slice(i, i + max) });
  }
  return out;
}

/** mirroredMeta is the labels, annotations and owner of a mirrored slice: the Endpoints' own, plus the service-name and managed-by labels. */
export function mirroredMeta(endpoints: KubeObject): Pick<KubeObject['metadata'], 'labels' | 'annotations' | 'ownerReferences'> {
  const name = endpoints.metadata.name ?? '';
  const labels = { ...(endpoints.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoints.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) annotations[k] = v;
  const ownerReferences = [{ apiVersion: 'v1', kind: 'Endpoints', name, uid: endpoints.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
  return { labels, annotations, ownerReferences };
}
