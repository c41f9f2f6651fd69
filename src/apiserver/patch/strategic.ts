import { deepCopy } from '../../api/object.js';
import { isObject, type JsonObject } from '../../api/types.js';
import type { SchemaNode } from '../schema_types.js';
import { jsonType, setField } from './json_value.js';
import { errBadPatchType, errNotAList, smpError, smpMessages } from './patch_errors.js';
import { mergeList } from './strategic_list.js';
import {
  cleanList,
  cleanPatchValue,
  deleteFromPrimitiveListPrefix,
  directiveMarker,
  extractKey,
  fieldSchema,
  isMapSchema,
  patchStrategyOf,
  retainKeysDirective,
  setCleaned,
  setElementOrderPrefix,
} from './strategic_meta.js';
import { partitionByPresence, normalizeElementOrder, sliceElementKind, validatePatchWithSetOrderList } from './strategic_order.js';

/**
 * strategicMergePatch applies a Kubernetes strategic merge patch (the map form kube-apiserver's
 * StrategicMergeMapPatch takes) to original, steered by the kind's schema: per-field patch
 * strategies and merge keys, and the directives `$patch`, `$retainKeys`, `$setElementOrder/<f>`,
 * `$deleteFromPrimitiveList/<f>`. Without schema every list is replaced and maps merge, so the
 * patch acts as a JSON merge patch whose directives still apply to maps and are never stored.
 * Returns a new object; throws StatusError (400, or 422 for lists of lists) on a malformed patch.
 */
export function strategicMergePatch(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject {
  return mergeMap(deepCopy(original), deepCopy(patch), schema);
}

/** mergeMap merges patch into original (both private copies, both mutated) and returns the result. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject {
  if (Object.hasOwn(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    if (directive === 'delete') return {};
    if (directive === 'replace') {
      delete patch[directiveMarker];
      return cleanPatchValue(patch) as JsonObject;
    }
    // "merge" is the default behaviour; upstream rejects it on maps, skiff accepts it.
    if (directive !== 'merge') throw errBadPatchType(directive, patch);
    delete patch[directiveMarker];
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);
  for (const [key, value] of Object.entries(patch)) mergeField(original, key, value, schema);
  return original;
}

/** mergeField merges one patch member into original. */
function mergeField(original: JsonObject, rawKey: string, patchV: unknown, schema: SchemaNode | undefined): void {
  let key = rawKey;
  let isDeleteList = false;
  if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
    key = extractKey(rawKey, deleteFromPrimitiveListPrefix, smpMessages.badPatchFormatForPrimitiveList);
    isDeleteList = true;
  }
  if (patchV === null) {
    delete original[key];
    return;
  }
  const cur = Object.hasOwn(original, key) ? original[key] : undefined;
  if (cur === undefined || jsonType(cur) !== jsonType(patchV)) {
    if (!isDeleteList) setCleaned(original, key, patchV);
    return;
  }
  const sub = fieldSchema(schema, key);
  if (isObject(cur) && isObject(patchV)) {
    mergeMapField(original, key, cur, patchV, sub);
  } else if (Array.isArray(cur) && Array.isArray(patchV)) {
    setField(original, key, mergeList(cur, patchV, sub, isDeleteList, mergeMap));
  } else if (!isDeleteList) {
    setField(original, key, patchV);
  }
}

function mergeMapField(original: JsonObject, key: string, cur: JsonObject, patchV: JsonObject, sub: SchemaNode | undefined): void {
  if (patchStrategyOf(sub) === 'replace') {
    setCleaned(original, key, patchV);
  } else if (patchV[directiveMarker] === 'delete' && isMapSchema(sub)) {
    // Upstream leaves an empty map, which a Go map field (omitempty) then drops when encoded.
    delete original[key];
  } else {
    setField(original, key, mergeMap(cur, patchV, sub));
  }
}

/**
 * applyRetainKeys honours `$retainKeys`: every other key of the patch (bar nulls and list
 * directives) must be listed, and the original loses the keys not listed.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw smpError(smpMessages.badPatchFormatForRetainKeys);
  const keep = new Set<unknown>(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(k)) throw smpError(smpMessages.badPatchFormatForRetainKeys);
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) delete original[k];
  }
}

/**
 * applySetElementOrder handles each `$setElementOrder/<field>`: the field's list is merged now
 * (and removed from the patch), then ordered as the directive says, server-only items interleaved.
 */
function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errNotAList(order);
    const field = extractKey(key, setElementOrderPrefix, smpMessages.badPatchFormatForSetElementOrderList);
    const hasOriginal = Object.hasOwn(original, field);
    const hasPatch = Object.hasOwn(patch, field);
    const originalList = hasOriginal ? original[field] : [];
    const patchList = hasPatch ? patch[field] : [];
    if (!Array.isArray(originalList)) throw errNotAList(originalList);
    if (!Array.isArray(patchList)) throw errNotAList(patchList);
    const sub = fieldSchema(schema, field);
    const mergeKey = sub?.patchMergeKey ?? '';
    const kind = sliceElementKind(originalList, patchList);
    // Maps can only be ordered by a merge key; without one (no schema) the directive is dropped.
    const ordered = kind === 'scalar' || (kind === 'map' && mergeKey !== '');
    if (ordered) validatePatchWithSetOrderList(patchList, order, mergeKey);
    if (!hasOriginal && !hasPatch) continue;
    let merged: unknown[];
    if (!hasPatch) merged = originalList;
    else if (!hasOriginal) merged = cleanList(patchList);
    else merged = mergeList(originalList, patchList, sub, false, mergeMap);
    if (ordered && kind !== undefined) {
      const [patchItems, serverOnly] = partitionByPresence(merged, order, mergeKey, kind);
      merged = normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, kind);
    }
    setField(original, field, merged);
    delete patch[field];
  }
}
