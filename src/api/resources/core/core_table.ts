import type { TableColumn } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';

/** Table column helpers shared by the core/v1 resource types, matching kube-apiserver's column definitions. */

/** column builds a TableColumnDefinition; type defaults to "string", priority to 0 (1 = shown only with `-o wide`). */
export function column(name: string, description: string, opts: { type?: TableColumn['type']; format?: string; priority?: 0 | 1 } = {}): TableColumn {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** NAME_COLUMN is the "Name" column every printer starts with. */
export const NAME_COLUMN: TableColumn = column('Name', 'Name must be unique within a namespace; it is used to refer to the object.', { format: 'name' });

/** AGE_COLUMN is the "Age" column: time since metadata.creationTimestamp. */
export const AGE_COLUMN: TableColumn = column('Age', 'CreationTimestamp is when the object was created.');

/** nameOf returns metadata.name, or "" when absent (as Go's zero value prints). */
export function nameOf(obj: KubeObject): string {
  return obj.metadata.name ?? '';
}

/** ageOf renders the AGE cell of an object. */
export function ageOf(obj: KubeObject, now: number): string {
  return age(obj.metadata.creationTimestamp, now);
}

/** stringMap returns the string-valued entries of a JSON map (labels, selectors, data), ignoring others. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** keyCount counts the keys of a JSON map (0 for anything else), as `len(map)` does in the printers. */
export function keyCount(v: unknown): number {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v).length : 0;
}
