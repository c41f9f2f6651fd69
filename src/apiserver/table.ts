import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';

/** IncludeObject is the Table `includeObject` option. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** partialMetadata is the PartialObjectMetadata form of an object. */
export function partialMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** tableRow renders one object as a Table row, with the object as requested. */
export function tableRow(t: ResourceType, obj: KubeObject, now: number, include: IncludeObject, version: 'v1' | 'v1beta1'): Record<string, unknown> {
  const row: Record<string, unknown> = { cells: t.row(obj, now) };
  if (include === 'Metadata') row.object = partialMetadata(obj, version);
  else if (include === 'Object') row.object = obj;
  return row;
}

/** toTable renders objects as a meta.k8s.io Table with the resource's columns. */
export function toTable(
  t: ResourceType,
  objs: KubeObject[],
  opts: { now: number; include: IncludeObject; version: 'v1' | 'v1beta1'; resourceVersion?: string; continue?: string; remainingItemCount?: number; withColumns?: boolean },
): KubeObject {
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: metadata as KubeObject['metadata'],
    columnDefinitions: opts.withColumns === false ? null : t.columns,
    rows: objs.map((o) => tableRow(t, o, opts.now, opts.include, opts.version)),
  };
}

/** includeObject reads the Table includeObject option (default Metadata). */
export function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
