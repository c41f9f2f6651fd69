import type { KubeObject } from '../api/types.js';
import { isObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { applyPatch, type PatchType } from './patch/index.js';
import type { ApiCore } from './core.js';
import type { Scope } from './scope.js';
import { guaranteedUpdate, qualified } from './writes.js';
import { patchNamesResourceVersion } from './patch_object.js';

/** toScale renders the autoscaling/v1 Scale of an object with a scale subresource. */
export function toScale(scope: Scope, obj: KubeObject): KubeObject {
  const access = scope.served.type.scale;
  if (!access) throw errors.notFound(qualified(scope.served.type), `${obj.metadata.name ?? ''}/scale`);
  const m = obj.metadata;
  const metadata: KubeObject['metadata'] = { name: m.name!, uid: m.uid!, resourceVersion: m.resourceVersion!, creationTimestamp: m.creationTimestamp! };
  if (m.namespace) metadata.namespace = m.namespace;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: access.specReplicas(obj) },
    status: { replicas: access.statusReplicas(obj), selector: access.selector(obj) },
  };
}

function replicasOf(scale: unknown): number {
  const spec = isObject(scale) ? scale.spec : undefined;
  const r = isObject(spec) ? spec.replicas : undefined;
  if (r === undefined) return 0;
  if (typeof r !== 'number' || !Number.isInteger(r)) {
    throw errors.badRequest(`json: cannot unmarshal ${typeof r} into Go struct field ScaleSpec.spec.replicas of type int32`);
  }
  if (r < 0) {
    throw errors.invalid({ group: 'autoscaling', resource: 'scale', kind: 'Scale' }, '', [
      { type: 'FieldValueInvalid', field: 'spec.replicas', badValue: r, detail: 'must be greater than or equal to 0' },
    ]);
  }
  return r;
}

/** updateScale handles PUT and PATCH on /scale: the new replica count goes into the parent object. */
export async function updateScale(
  core: ApiCore,
  scope: Scope,
  name: string,
  change: { put: Record<string, unknown> } | { patchType: PatchType; patch: unknown },
): Promise<KubeObject> {
  const access = scope.served.type.scale;
  if (!access) throw errors.notFound(qualified(scope.served.type), name);
  const parentScope: Scope = { ...scope, subresource: '' };
  const updated = await guaranteedUpdate(core, parentScope, name, (current) => {
    const scale = toScale(scope, current);
    const next = 'put' in change ? change.put : applyPatch(scale, change.patch, change.patchType, undefined);
    const md = isObject(next.metadata) ? next.metadata : {};
    const pinned = 'put' in change || patchNamesResourceVersion(change.patchType, change.patch);
    const rv = pinned && typeof md.resourceVersion === 'string' ? md.resourceVersion : '';
    access.setReplicas(current, replicasOf(next));
    if (rv) current.metadata.resourceVersion = rv;
    else delete current.metadata.resourceVersion;
    return current;
  });
  return toScale(scope, updated);
}
