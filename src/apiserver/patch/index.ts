import { errors } from '../../api/errors.js';
import { deepCopy } from '../../api/object.js';
import { isObject, type JsonObject } from '../../api/types.js';
import type { SchemaNode } from '../schema_types.js';
import { applyJsonPatch } from './json_patch.js';
import { exceedsDepth, maxPatchDepth } from './json_value.js';
import { applyMergePatch } from './merge_patch.js';
import { jsonKindName } from './patch_errors.js';
import { strategicMergePatch } from './strategic.js';

export { maxJsonPatchOperations } from './json_patch.js';
export { mergePatchValue } from './merge_patch.js';

/** PatchType names the three PATCH body formats kube-apiserver applies itself (server-side apply is separate). */
export type PatchType = 'json' | 'merge' | 'strategic';

const contentTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/**
 * patchTypeFromContentType maps a PATCH request's Content-Type (parameters such as `; charset=utf-8`
 * ignored) to its PatchType; undefined for anything else, including application/apply-patch+yaml,
 * which the caller answers itself (server-side apply) or with 415.
 */
export function patchTypeFromContentType(ct: string): PatchType | undefined {
  const semi = ct.indexOf(';');
  const mediaType = (semi >= 0 ? ct.slice(0, semi) : ct).trim().toLowerCase();
  return Object.hasOwn(contentTypes, mediaType) ? contentTypes[mediaType] : undefined;
}

/**
 * applyPatch applies a parsed PATCH body of the given type to original and returns the patched
 * object; original and patch are never mutated. schema steers strategic merge patch (lists merged by
 * key, directives); undefined means an unknown kind, patched like a JSON merge patch with the
 * strategic directives still honoured on maps and never stored. Failures are StatusErrors with
 * kube-apiserver's codes: 400 for a malformed patch, 413 for a JSON patch with more than
 * maxJsonPatchOperations operations, 422 when a JSON patch does not apply or the result is not an
 * object. Parsing the body (and its 400 on invalid JSON) is the caller's job.
 */
export function applyPatch(original: JsonObject, patch: unknown, type: PatchType, schema: SchemaNode | undefined): JsonObject {
  if (exceedsDepth(patch, maxPatchDepth)) {
    throw errors.badRequest(`the patch nests deeper than the maximum depth of ${maxPatchDepth}`);
  }
  switch (type) {
    case 'json':
      return applyJsonPatch(original, patch);
    case 'merge':
      return applyMergePatch(deepCopy(original), patch);
    case 'strategic':
      // Go decodes JSON null into an empty patch map: nothing changes.
      if (patch === null) return deepCopy(original);
      if (!isObject(patch)) {
        throw errors.badRequest(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`);
      }
      return strategicMergePatch(original, patch, schema);
  }
}
