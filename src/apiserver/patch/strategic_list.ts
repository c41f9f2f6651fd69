import { isObject, type JsonObject } from '../../api/types.js';
import type { SchemaNode } from '../schema_types.js';
import { errBadPatchType, errNoMergeKey, smpError } from './patch_errors.js';
import { cleanList, cleanPatchValue, directiveMarker, patchStrategyOf } from './strategic_meta.js';
import { findByKey, normalizeElementOrder, partitionByPresence, sliceElementKind } from './strategic_order.js';

/**
 * Lists in a strategic merge patch. A list whose field has patch strategy "merge" is merged: maps
 * by their merge key (with `$patch: delete|replace` elements), scalars as a set (or reduced by a
 * `$deleteFromPrimitiveList` list). Any other list is replaced by the patch's.
 */

/** MapMerger merges a patch map into an original map under a schema (strategic.ts's mergeMap). */
export type MapMerger = (original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined) => JsonObject;

/**
 * mergeList merges patch into original for a list field described by schema. isDeleteList marks a
 * `$deleteFromPrimitiveList` value: its items are removed instead of added. Both lists are private
 * copies and may be mutated.
 */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  schema: SchemaNode | undefined,
  isDeleteList: boolean,
  mergeMap: MapMerger,
): unknown[] {
  if (patchStrategyOf(schema) !== 'merge') {
    // Upstream would even replace the list with the deletion list here; removing is what was meant.
    return isDeleteList ? deleteFromSlice(original, patch) : cleanList(patch);
  }
  return mergeSlice(original, patch, schema?.items, schema?.patchMergeKey ?? '', isDeleteList, mergeMap);
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  itemSchema: SchemaNode | undefined,
  mergeKey: string,
  isDeleteList: boolean,
  mergeMap: MapMerger,
): unknown[] {
  // An empty patch list merges nothing: clearing a merging list takes `$patch: replace`.
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch) ?? 'scalar';
  let base = original;
  let named = patch;
  let merged: unknown[];
  if (kind === 'scalar') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = dedupe([...original, ...patch]);
  } else {
    if (mergeKey === '') throw smpError('cannot merge lists without merge key for type map');
    ({ base, named } = applySpecialElements(original, patch, mergeKey));
    merged = mergeByKey(base, named, mergeKey, itemSchema, mergeMap);
  }
  // base (not merged) is the server order: items new to the server must not be found in it.
  const [patchItems, serverOnly] = partitionByPresence(merged, named, mergeKey, kind);
  return normalizeElementOrder(patchItems, serverOnly, named, base, mergeKey, kind);
}

/**
 * applySpecialElements handles the `$patch` elements of a list of maps: `delete` drops the
 * original's elements with that key, `replace` makes the patch's other elements the whole list.
 * Returns the remaining original (base) and the patch's ordinary elements (named).
 */
function applySpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { base: unknown[]; named: unknown[] } {
  const named: unknown[] = [];
  let base = original;
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject; // sliceElementKind has checked every element is a map
    if (!Object.hasOwn(m, directiveMarker)) {
      named.push(m);
      continue;
    }
    const directive = m[directiveMarker];
    if (directive === 'delete') {
      if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      base = removeByKey(base, mergeKey, m[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      // Merging is what list elements do anyway; upstream rejects the marker, skiff tolerates it.
      delete m[directiveMarker];
      if (Object.hasOwn(m, mergeKey)) named.push(m);
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  if (replace) return { base: cleanList(named), named: [] };
  return { base, named };
}

/** removeByKey drops every map whose merge key equals value (elements are maps: checked by the caller). */
function removeByKey(list: unknown[], mergeKey: string, value: unknown): unknown[] {
  return list.filter((v) => !(isObject(v) && Object.hasOwn(v, mergeKey) && v[mergeKey] === value));
}

/** mergeByKey merges each patch map into the element with the same key, or appends it. */
function mergeByKey(base: unknown[], named: unknown[], mergeKey: string, itemSchema: SchemaNode | undefined, mergeMap: MapMerger): unknown[] {
  const out = base.slice();
  for (const v of named) {
    const m = v as JsonObject;
    if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const i = findByKey(out, mergeKey, m[mergeKey]);
    if (i >= 0) {
      out[i] = mergeMap(out[i] as JsonObject, m, itemSchema);
    } else {
      const c = cleanPatchValue(m);
      if (c !== undefined) out.push(c);
    }
  }
  return out;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  return current.filter((v) => !toDelete.includes(v));
}

function dedupe(list: unknown[]): unknown[] {
  return list.filter((v, i) => list.indexOf(v) === i);
}
