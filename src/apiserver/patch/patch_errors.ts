import { errors, StatusError } from '../../api/errors.js';
import { fieldErr } from '../../api/field_errors.js';
import { isObject } from '../../api/types.js';

/**
 * Error constructors for the three patch types, mirroring how kube-apiserver's patch handler maps
 * evanphx/json-patch and strategicpatch failures to Status responses.
 */

/**
 * rejectedPatch is the 422 kube-apiserver returns when a JSON patch fails to apply (failed `test`,
 * missing path, bad index, unknown op). Upstream builds it with NewGenericServerResponse(422, …),
 * which drops the library's message, so the client only ever sees the generic text. The real
 * reason is kept in `cause` for logs and tests.
 */
export function rejectedPatch(detail: string): StatusError {
  const err = new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    details: {},
    code: 422,
  });
  err.cause = new Error(detail);
  return err;
}

/** Sentinel messages of k8s.io/apimachinery/pkg/util/mergepatch (answered with 400 BadRequest). */
export const smpMessages = {
  badPatchFormatForPrimitiveList: 'invalid patch format of primitive list',
  badPatchFormatForRetainKeys: 'invalid patch format of retainKeys',
  badPatchFormatForSetElementOrderList: 'invalid patch format of setElementOrder list',
  noListOfLists: 'lists of lists are not supported',
} as const;

/**
 * smpError is a strategic merge patch failure. Upstream answers the sentinel format errors with
 * 400 and "lists of lists" with the generic 422; every other strategicpatch error (missing merge
 * key, unknown $patch value, mismatched element types) reaches the client as a bare 500 carrying
 * the library message. skiff answers those with 400 BadRequest and the same message: the request
 * is at fault, and kubectl prints the message either way.
 */
export function smpError(message: string): StatusError {
  if (message === smpMessages.noListOfLists) return rejectedPatch(message);
  return errors.badRequest(message);
}

/** errNoMergeKey is mergepatch.ErrNoMergeKey: an element of a merging list lacks its merge key. */
export function errNoMergeKey(m: unknown, mergeKey: string): StatusError {
  return smpError(`map: ${goFormat(m)} does not contain declared merge key: ${mergeKey}`);
}

/** errBadPatchType is mergepatch.ErrBadPatchType: a `$patch` value this map cannot take. */
export function errBadPatchType(directive: unknown, m: unknown): StatusError {
  return smpError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(m)}`);
}

/** errBadArgType is mergepatch.ErrBadArgType for a value that should have been a list. */
export function errNotAList(actual: unknown): StatusError {
  return smpError(`expected a []interface {}, but received a ${goTypeName(actual)}`);
}

/** goTypeName names a decoded JSON value's Go type as reflect.TypeOf prints it. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** jsonKindName names a JSON value as Go's encoding/json does in "cannot unmarshal X" errors. */
export function jsonKindName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** goFormat renders a decoded JSON value as Go's %v does (maps with sorted keys). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

/**
 * notAnObjectResult is the 422 for a patch whose result is not a JSON object (a merge patch that
 * is an array, a JSON patch replacing the root with one): upstream fails decoding the result into
 * the kind's type and reports it as an Invalid value at field "patch".
 */
export function notAnObjectResult(result: unknown): StatusError {
  const detail = `json: cannot unmarshal ${jsonKindName(result)} into Go value of type map[string]interface {}`;
  return errors.invalid({ group: '', resource: '', kind: '' }, '', [fieldErr.invalid('patch', JSON.stringify(result), detail)]);
}
