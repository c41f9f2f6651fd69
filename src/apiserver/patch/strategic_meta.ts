import { isObject, type JsonObject } from '../../api/types.js';
import type { SchemaNode } from '../schema_types.js';
import { setField } from './json_value.js';
import { smpError } from './patch_errors.js';

/** Strategic merge patch vocabulary: directive keys and the schema facts that steer a merge. */

/** directiveMarker is the `$patch` key: replace, delete (or merge) the map or list element holding it. */
export const directiveMarker = '$patch';
/** retainKeysDirective lists the keys a map keeps; the others are cleared before merging. */
export const retainKeysDirective = '$retainKeys';
/** deleteFromPrimitiveListPrefix: `$deleteFromPrimitiveList/<field>` lists scalars to drop from a merging list. */
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
/** setElementOrderPrefix: `$setElementOrder/<field>` gives the final order of a merging list. */
export const setElementOrderPrefix = '$setElementOrder';

/** fieldSchema is the schema of member key of an object schema (a declared property or a map value). */
export function fieldSchema(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!schema) return undefined;
  const props = schema.properties;
  if (props && Object.hasOwn(props, key)) return props[key];
  return schema.additionalProperties;
}

/**
 * patchStrategyOf is the field's strategy besides retainKeys ("merge", "replace" or ""): the
 * retainKeys part only says the `$retainKeys` directive may appear, which needs no schema.
 */
export function patchStrategyOf(schema: SchemaNode | undefined): string {
  const parts = (schema?.patchStrategy ?? '').split(',').map((s) => s.trim());
  return parts.find((s) => s !== '' && s !== 'retainKeys') ?? '';
}

/** isMapSchema tells whether the schema is a string-keyed map (additionalProperties only). */
export function isMapSchema(schema: SchemaNode | undefined): boolean {
  return schema?.additionalProperties !== undefined && schema.properties === undefined;
}

/** extractKey strips `<prefix>/` from a directive key, failing with the format error of that directive. */
export function extractKey(key: string, prefix: string, formatError: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw smpError(formatError);
  return key.slice(slash + 1);
}

function isDirectiveKey(key: string): boolean {
  return (
    key === retainKeysDirective ||
    key.startsWith(`${setElementOrderPrefix}/`) ||
    key.startsWith(`${deleteFromPrimitiveListPrefix}/`)
  );
}

/**
 * cleanPatchValue prepares a patch value that is taken as is (no counterpart in the original, or a
 * replacing strategy): null members of maps go, directive keys go, a map marked `$patch: delete`
 * disappears (undefined), other `$patch` markers are dropped and their map kept. Upstream gets the
 * same effect from removeDirectives plus decoding into typed structs. Mutates v (a private copy).
 */
export function cleanPatchValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const c = cleanPatchValue(e);
      if (c !== undefined) out.push(c);
    }
    return out;
  }
  if (!isObject(v)) return v;
  if (Object.hasOwn(v, directiveMarker) && v[directiveMarker] === 'delete') return undefined;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || k === directiveMarker || isDirectiveKey(k)) continue;
    const c = cleanPatchValue(x);
    if (c !== undefined) setField(out, k, c);
  }
  return out;
}

/** cleanList is cleanPatchValue for a list. */
export function cleanList(v: unknown[]): unknown[] {
  return cleanPatchValue(v) as unknown[];
}

/** setCleaned stores the cleaned patch value at key, or removes key when the value vanished. */
export function setCleaned(obj: JsonObject, key: string, v: unknown): void {
  const c = cleanPatchValue(v);
  if (c === undefined) delete obj[key];
  else setField(obj, key, c);
}
