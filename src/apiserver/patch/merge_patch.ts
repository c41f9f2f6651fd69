import { errors } from '../../api/errors.js';
import { isObject, type JsonObject } from '../../api/types.js';
import { setField } from './json_value.js';
import { notAnObjectResult } from './patch_errors.js';

/**
 * mergePatchValue applies an RFC 7386 JSON merge patch to target and returns the result: an object
 * patch merges member by member (null deletes, objects recurse), anything else replaces the target.
 * Values taken from the patch lose their null members, as in evanphx/json-patch. Pure: neither
 * argument is mutated and the result shares no structure with the patch.
 */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return pruneNulls(patch);
  const result: JsonObject = {};
  if (isObject(target)) {
    for (const [k, v] of Object.entries(target)) setField(result, k, v);
  }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete result[k];
    } else if (isObject(v) && isObject(result[k])) {
      setField(result, k, mergePatchValue(result[k], v));
    } else {
      setField(result, k, pruneNulls(v));
    }
  }
  return result;
}

/** pruneNulls copies v without the null members of its objects (array elements are kept). */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== null) setField(out, k, pruneNulls(x));
  }
  return out;
}

/**
 * applyMergePatch is the kube-apiserver flavour of mergePatchValue for a stored object: a null or
 * scalar patch is 400 "Invalid JSON Patch" (evanphx/json-patch's ErrBadJSONPatch), an array patch
 * yields a non-object and so 422. Target members untouched by the patch are shared, not copied;
 * callers that keep the original must copy it first.
 */
export function applyMergePatch(original: JsonObject, patch: unknown): JsonObject {
  if (patch === null || (!isObject(patch) && !Array.isArray(patch))) throw errors.badRequest('Invalid JSON Patch');
  const result = mergePatchValue(original, patch);
  if (!isObject(result)) throw notAnObjectResult(result);
  return result;
}
