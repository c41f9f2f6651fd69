import type { KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import { mirroredMeta, sliceKey, type DesiredSlice } from './desired.js';

/** SliceActions are the writes that bring a Service's mirrored slices to the desired state. */
export interface SliceActions {
  create: KubeObject[];
  update: KubeObject[];
  remove: KubeObject[];
}

/** covers tells whether actual holds everything of want (the server may have added defaults). */
export function covers(want: unknown, actual: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(actual) && want.length === actual.length && want.every((w, i) => covers(w, actual[i]));
  if (want !== null && typeof want === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(want).every(([k, v]) => covers(v, (actual as Record<string, unknown>)[k]));
  }
  return want === actual;
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>): boolean => {
  const x = a ?? {};
  return Object.keys(x).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => x[k] === v);
};

/**
 * reconcileSlices matches existing mirrored slices to the desired ones by address type and
 * ports: matches are updated when their endpoints, ports or metadata differ, desired slices
 * left over are created (named `<endpoints>-<random>`), existing ones left over are deleted.
 */
export function reconcileSlices(endpoints: KubeObject, existing: KubeObject[], desired: DesiredSlice[]): SliceActions {
  const meta = mirroredMeta(endpoints);
  const pool = new Map<string, KubeObject[]>();
  for (const s of existing) {
    const k = sliceKey(str(s, 'addressType') ?? '', arr(s, 'ports'));
    pool.set(k, [...(pool.get(k) ?? []), s]);
  }
  const actions: SliceActions = { create: [], update: [], remove: [] };
  for (const d of desired) {
    const match = pool.get(d.key)?.shift();
    if (!match) {
      const name = endpoints.metadata.name ?? '';
      actions.create.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: `${name}-`, namespace: endpoints.metadata.namespace ?? '', ...meta }, addressType: d.addressType, ports: d.ports, endpoints: d.endpoints });
      continue;
    }
    const current = sameMap(match.metadata.labels, meta.labels ?? {}) && sameMap(match.metadata.annotations, meta.annotations ?? {}) && covers(meta.ownerReferences, match.metadata.ownerReferences);
    if (current && covers(d.endpoints, arr(match, 'endpoints')) && covers(d.ports, arr(match, 'ports'))) continue;
    actions.update.push({ ...match, metadata: { ...match.metadata, ...meta }, ports: d.ports, endpoints: d.endpoints });
  }
  for (const rest of pool.values()) actions.remove.push(...rest);
  return actions;
}
