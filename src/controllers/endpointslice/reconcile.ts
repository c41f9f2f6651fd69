import type { KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import { semanticEqual } from '../endpoints/equality.js';
import { serviceLabels } from '../endpoints/service_pods.js';
import { endpointKey, type EndpointGroup, type SliceEndpoint } from './desired.js';

/** SERVICE_NAME_LABEL ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** MANAGED_BY_LABEL names the controller owning an EndpointSlice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** CONTROLLER_NAME is this controller's MANAGED_BY_LABEL value. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** MAX_ENDPOINTS_PER_SLICE is the upstream default of --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** SliceActions are the writes that bring a Service's slices to the desired state. */
export interface SliceActions {
  create: KubeObject[];
  update: KubeObject[];
  remove: KubeObject[];
}

const byAddress = (a: SliceEndpoint, b: SliceEndpoint): number => ((a.addresses[0] ?? '') < (b.addresses[0] ?? '') ? -1 : 1);

/** sliceFor returns a slice of svc (a copy of base, or a new one) holding the given ports and endpoints. */
function sliceFor(svc: KubeObject, base: KubeObject | undefined, g: { ports: unknown[]; endpoints: SliceEndpoint[] }): KubeObject {
  const name = svc.metadata.name ?? '';
  const labels = { ...serviceLabels(svc), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
  const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
  const s: KubeObject = base ? structuredClone(base) : { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: `${name}-`, namespace: svc.metadata.namespace ?? '' } };
  s.metadata.labels = { ...(base?.metadata.labels ?? {}), ...labels };
  s.metadata.ownerReferences = ownerReferences;
  s.addressType = 'IPv4';
  s.endpoints = [...g.endpoints].sort(byAddress);
  s.ports = g.ports;
  return s;
}

function changed(a: KubeObject, b: KubeObject): boolean {
  return ['endpoints', 'ports', 'addressType'].some((f) => !semanticEqual(a[f] ?? [], b[f] ?? [])) || !semanticEqual(a.metadata.labels, b.metadata.labels) || !semanticEqual(a.metadata.ownerReferences, b.metadata.ownerReferences);
}

/**
 * reconcileSlices plans the writes for one Service: endpoints stay in the slice that already holds
 * them, new ones fill slices with room and then new slices, each slice holds at most `max`
 * endpoints of one port set, emptied slices go, and a Service without endpoints keeps one empty
 * placeholder slice (as upstream does).
 */
export function reconcileSlices(svc: KubeObject, existing: KubeObject[], groups: EndpointGroup[], max = MAX_ENDPOINTS_PER_SLICE): SliceActions {
  const actions: SliceActions = { create: [], update: [], remove: [] };
  const placeholder = groups.every((g) => g.endpoints.length === 0);
  const wanted: EndpointGroup[] = placeholder ? [{ ports: [], endpoints: [] }] : groups.filter((g) => g.endpoints.length);
  const used = new Set<KubeObject>();
  for (const g of wanted) {
    // A placeholder reuses any slice; otherwise only slices of the same port set are reused.
    const candidates = existing.filter((s) => !used.has(s) && (placeholder || semanticEqual(arr(s, 'ports'), g.ports))).slice(0, placeholder ? 1 : undefined);
    for (const c of candidates) used.add(c);
    const desired = new Map(g.endpoints.map((e) => [endpointKey(e), e]));
    const placed = new Set<string>();
    const contents = candidates.map((c) => {
      const kept: SliceEndpoint[] = [];
      for (const e of arr(c, 'endpoints') as SliceEndpoint[]) {
        const want = desired.get(endpointKey(e));
        if (!want || placed.has(endpointKey(e)) || kept.length >= max) continue;
        placed.add(endpointKey(e));
        kept.push(want);
      }
      return kept;
    });
    const leftovers = g.endpoints.filter((e) => !placed.has(endpointKey(e))).sort(byAddress);
    for (const kept of contents) while (kept.length < max && leftovers.length) kept.push(leftovers.shift()!);
    candidates.forEach((c, i) => {
      const endpoints = contents[i] ?? [];
      if (endpoints.length === 0 && !(placeholder && i === 0)) return actions.remove.push(c);
      const next = sliceFor(svc, c, { ports: g.ports, endpoints });
      if (changed(c, next)) actions.update.push(next);
    });
    for (let i = 0; i < leftovers.length; i += max) actions.create.push(sliceFor(svc, undefined, { ports: g.ports, endpoints: leftovers.slice(i, i + max) }));
    if (placeholder && candidates.length === 0) actions.create.push(sliceFor(svc, undefined, { ports: [], endpoints: [] }));
  }
  for (const s of existing) if (!used.has(s)) actions.remove.push(s);
  return actions;
}
