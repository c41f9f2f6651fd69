import type { KubeObject } from '../api/types.js';
import { isObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { applyPatch, type PatchType } from './patch/index.js';
import type { ApiCore } from './core.js';
import { toServed } from './registry.js';
import type { Scope } from './scope.js';
import { decodeForWrite, ensureNamespace, guaranteedUpdate } from './writes.js';

/** patchObject applies a JSON, merge or strategic merge patch to the served form of the current object. */
export async function patchObject(core: ApiCore, scope: Scope, name: string, type: PatchType, patch: unknown): Promise<KubeObject> {
  await ensureNamespace(core, scope, false);
  const { group, version } = scope.served;
  const schema = core.opts.schemas?.forKind(group, version, scope.served.type.kind);
  return guaranteedUpdate(core, scope, name, (current) => {
    const served = toServed(scope.served, current);
    const patched = applyPatch(served, patch, type, schema);
    const md = patched.metadata;
    if (isObject(md) && md.name !== undefined && md.name !== name) {
      throw errors.badRequest(`the name of the object (${String(md.name)}) does not match the name on the URL (${name})`);
    }
    const next = decodeForWrite(core, scope, patched);
    // Only a resourceVersion the patch itself names pins the update; otherwise conflicts retry.
    if (!patchNamesResourceVersion(type, patch)) delete next.metadata.resourceVersion;
    return next;
  });
}

/** patchNamesResourceVersion tells whether a patch sets metadata.resourceVersion. */
export function patchNamesResourceVersion(type: PatchType, patch: unknown): boolean {
  if (type === 'json') {
    return Array.isArray(patch) && patch.some((op) => isObject(op) && op.path === '/metadata/resourceVersion' && op.op !== 'test');
  }
  const md = isObject(patch) ? patch.metadata : undefined;
  return isObject(md) && md.resourceVersion !== undefined && md.resourceVersion !== null;
}
