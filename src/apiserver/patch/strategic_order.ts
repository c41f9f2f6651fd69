import { isObject } from '../../api/types.js';
import { jsonType } from './json_value.js';
import { errNoMergeKey, goFormat, goTypeName, smpError, smpMessages } from './patch_errors.js';
import { directiveMarker, setElementOrderPrefix } from './strategic_meta.js';

/**
 * Element order of merged lists, as strategicpatch keeps it: items named by the patch (or by a
 * `$setElementOrder` list) follow the patch's order, the server's other items keep theirs, and the
 * two runs are interleaved using the positions the items had on the server. Items new to the
 * server win ties, so they land before the next server-only item.
 */

/** ElementKind: merging lists hold maps (merged by key) or scalars (merged as a set). */
export type ElementKind = 'map' | 'scalar';

/**
 * sliceElementKind is the common element kind of lists; undefined when all are empty. Throws like
 * upstream for lists of lists and for mixed element types.
 */
export function sliceElementKind(...lists: unknown[][]): ElementKind | undefined {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = jsonType(v);
      if (prev === undefined) {
        if (t === 'array') throw smpError(smpMessages.noListOfLists);
        prev = t;
      } else if (t !== prev) {
        throw smpError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (prev === undefined) return undefined;
  return prev === 'object' ? 'map' : 'scalar';
}

/** keyOf is what identifies a list item: its merge key value for maps, the item itself for scalars. */
function keyOf(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind === 'scalar') return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const k = keyOf(item, mergeKey, kind);
  return list.findIndex((v) => keyOf(v, mergeKey, kind) === k);
}

/** requireMergeKey checks an element of a merging list of maps carries the merge key. */
export function requireMergeKey(item: unknown, mergeKey: string): void {
  if (!isObject(item)) throw smpError(`expected a map[string]interface {}, but received a ${goTypeName(item)}`);
  if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
}

/** findByKey is the index of the map whose merge key equals value, or -1. */
export function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  return list.findIndex((v, i) => {
    if (!isObject(v)) throw smpError(`value for key ${i} is not a map.`);
    return Object.hasOwn(v, mergeKey) && v[mergeKey] === value;
  });
}

/** partitionByPresence splits merged into the items named in partitionBy and the others. */
export function partitionByPresence(merged: unknown[], partitionBy: unknown[], mergeKey: string, kind: ElementKind): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    let found: boolean;
    if (kind === 'map') {
      requireMergeKey(v, mergeKey);
      found = findByKey(partitionBy, mergeKey, keyOf(v, mergeKey, kind)) >= 0;
    } else {
      found = partitionBy.includes(v);
    }
    (found ? present : serverOnly).push(v);
  }
  return [present, serverOnly];
}

/** sortByOrder stably sorts items by their position in order; items absent from order go last. */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const ranked = items.map((item) => {
    const i = indexIn(order, item, mergeKey, kind);
    return { item, rank: i < 0 ? Number.MAX_SAFE_INTEGER : i };
  });
  ranked.sort((a, b) => a.rank - b.rank);
  return ranked.map((r) => r.item);
}

/**
 * normalizeElementOrder orders patchItems by patchOrder and serverOnly by serverOrder, then
 * interleaves them: a server-only item goes first only when both are on the server and it was
 * ahead there.
 */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  if (kind === 'map') {
    for (const list of [patchItems, patchOrder, serverOnly, serverOrder]) list.forEach((v) => requireMergeKey(v, mergeKey));
  }
  const right = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) {
      out.push(left[i++]);
    } else if (i >= left.length) {
      out.push(right[j++]);
    } else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  requireMergeKey(left, mergeKey);
  requireMergeKey(right, mergeKey);
  return keyOf(left, mergeKey, 'map') === keyOf(right, mergeKey, 'map');
}

/**
 * validatePatchWithSetOrderList checks that the patch list's items (deletions aside) appear in the
 * `$setElementOrder` list and in the same relative order.
 */
export function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    for (const v of patchList) {
      if (!isObject(v)) throw smpError(`expected a map[string]interface {}, but received a ${goTypeName(v)}`);
    }
    items = patchList.filter((v) => isObject(v) && v[directiveMarker] !== 'delete');
  }
  let pi = 0;
  let si = 0;
  while (pi < items.length && si < order.length) {
    const item = items[pi];
    if (isObject(item) && Object.hasOwn(item, directiveMarker)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[si], mergeKey)) pi++;
    si++;
  }
  if (pi < items.length && si >= order.length) {
    throw smpError(`the order in patch list:\n${goFormat(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goFormat(order)}`);
  }
}
