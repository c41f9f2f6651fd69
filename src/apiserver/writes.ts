import type { ResourceType } from '../api/resource.js';
import type { KubeObject } from '../api/types.js';
import { apiVersionOf, parseApiVersion } from '../api/types.js';
import { errors } from '../api/errors.js';
import { arr } from '../api/object.js';
import { cloneJson } from './json_clone.js';
import type { AdmissionRequest } from './admission.js';
import type { ApiCore } from './core.js';
import { objectKey } from './object_store.js';
import { toServed, toStored } from './registry.js';
import type { Scope } from './scope.js';
import { fillCreateMeta, keepSystemMeta, requireObjectShape, validateMeta, deepEqual } from './object_meta.js';
import { checkFields } from './field_validation.js';

/** qualified names a resource for error messages. */
export function qualified(t: ResourceType): { group: string; resource: string; kind: string } {
  return { group: t.group, resource: t.plural, kind: t.kind };
}

/** checkTypeMeta refuses a body whose apiVersion/kind do not belong at this endpoint. */
function checkTypeMeta(scope: Scope, body: Record<string, unknown>): void {
  const want = apiVersionOf(scope.served.group, scope.served.version);
  const av = body.apiVersion;
  const kind = body.kind;
  if (typeof kind === 'string' && kind !== '' && kind !== scope.served.type.kind) {
    throw errors.badRequest(`the kind in the data (${kind}) does not match the expected kind (${scope.served.type.kind})`);
  }
  if (typeof av === 'string' && av !== '' && av !== want) {
    const { group } = parseApiVersion(av);
    if (group !== scope.served.group || typeof kind !== 'string') {
      throw errors.badRequest(`the API version in the data (${av}) does not match the expected API version (${want})`);
    }
    throw errors.badRequest(`the API version in the data (${av}) does not match the expected API version (${want})`);
  }
}

/** decodeForWrite turns a request body into a stored-version object, applying field validation and defaults. */
export function decodeForWrite(core: ApiCore, scope: Scope, body: Record<string, unknown>): KubeObject {
  checkTypeMeta(scope, body);
  checkFields(core, scope, body);
  const served = requireObjectShape(body);
  served.apiVersion = apiVersionOf(scope.served.group, scope.served.version);
  served.kind = scope.served.type.kind;
  const obj = toStored(scope.served, served);
  scope.served.type.defaults(obj);
  return obj;
}

async function runAdmission(core: ApiCore, req: AdmissionRequest): Promise<void> {
  for (const p of core.opts.admission ?? []) if (p.admit) await p.admit(req);
  for (const p of core.opts.admission ?? []) if (p.validate) await p.validate(req);
}

function committed(core: ApiCore, req: AdmissionRequest, ok: boolean): void {
  for (const p of core.opts.admission ?? []) p.committed?.(req, ok);
}

/** ensureNamespace refuses writes into namespaces that do not exist or are terminating. */
export async function ensureNamespace(core: ApiCore, scope: Scope, creating: boolean): Promise<void> {
  const t = scope.served.type;
  if (!t.namespaced) return;
  if (!scope.namespace) throw errors.badRequest('the server could not find the requested resource: namespace is required');
  const nsType = core.registry.lookup('', 'v1', 'namespaces')?.type;
  if (!nsType) return;
  const ns = (await core.fresh(nsType)).get(objectKey(nsType, '', scope.namespace));
  if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, scope.namespace);
  if (creating && ns.obj.metadata.deletionTimestamp) {
    throw errors.forbidden(
      `${t.plural}${t.group ? '.' + t.group : ''} is forbidden: unable to create new content in namespace ${scope.namespace} because it is being terminated`,
    );
  }
}

/** create stores a new object and returns it in the served version. */
export async function createObject(core: ApiCore, scope: Scope, body: Record<string, unknown>): Promise<KubeObject> {
  const t = scope.served.type;
  const obj = decodeForWrite(core, scope, body);
  const bodyNs = obj.metadata.namespace;
  if (t.namespaced && bodyNs && scope.namespace && bodyNs !== scope.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (obj.metadata.resourceVersion) {
    throw errors.badRequest('resourceVersion should not be set on objects to be created');
  }
  if (!obj.metadata.name && !obj.metadata.generateName) {
    throw errors.invalid(qualified(t), '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
  }
  await ensureNamespace(core, scope, true);
  fillCreateMeta(t, obj, scope.namespace, core.opts.clock.now());
  t.prepareForCreate?.(obj);
  const name = obj.metadata.name ?? '';
  const req: AdmissionRequest = { operation: 'CREATE', type: t, subresource: '', namespace: scope.namespace, name, obj, old: undefined, user: scope.user, dryRun: scope.dryRun, warnings: scope.warnings };
  let ok = false;
  try {
    await runAdmission(core, req);
    const versionRules = scope.served.converter?.validate;
    const errs = [...validateMeta(t, obj, undefined), ...(versionRules ? versionRules(obj) : t.validate(obj))];
    if (errs.length) throw errors.invalid(qualified(t), name, errs);
    if (scope.dryRun) {
      ok = true;
      return toServed(scope.served, obj);
    }
    const r = await core.store.create(objectKey(t, scope.namespace, name), obj);
    if (!r.ok) throw errors.alreadyExists(qualified(t), name);
    ok = true;
    return toServed(scope.served, r.obj);
  } finally {
    committed(core, req, ok);
  }
}

/** UpdateFn computes the new stored-version object from the current one (a private copy). */
export type UpdateFn = (current: KubeObject) => KubeObject | Promise<KubeObject>;

/**
 * guaranteedUpdate reads the current object, applies fn, validates and writes with compare-and-swap,
 * retrying on conflicts unless the new object pins a resourceVersion (then 409).
 */
export async function guaranteedUpdate(
  core: ApiCore,
  scope: Scope,
  name: string,
  fn: UpdateFn,
  opts: { system?: boolean } = {},
): Promise<KubeObject> {
  const t = scope.served.type;
  const key = objectKey(t, scope.namespace, name);
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await core.getStored(t, scope.namespace, name);
    const next = await fn(cloneJson(current.obj));
    const pinned = next.metadata.resourceVersion;
    if (pinned && pinned !== String(current.rv)) {
      throw errors.conflict(qualified(t), name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const obj = prepareUpdate(scope, next, current.obj, opts.system === true);
    const nsFinalizers = t.plural === 'namespaces' && t.group === '' ? arr(obj, 'spec', 'finalizers').length : 0;
    // Pods wait for their kubelet unless their grace period is already 0 (unbound or forced).
    const podWaits = t.plural === 'pods' && t.group === '' && obj.metadata.deletionGracePeriodSeconds !== 0;
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && !podWaits && nsFinalizers === 0) {
      // The last finalizer is gone: the pending deletion completes now.
      if (scope.dryRun) return toServed(scope.served, obj);
      const d = await core.store.delete(key, current.rv);
      if (d.ok) return toServed(scope.served, d.obj);
      continue;
    }
    const req: AdmissionRequest = { operation: 'UPDATE', type: t, subresource: scope.subresource, namespace: scope.namespace, name, obj, old: current.obj, user: scope.user, dryRun: scope.dryRun, warnings: scope.warnings };
    let ok = false;
    try {
      await runAdmission(core, req);
      const strategy = t.subresourceStrategies?.[scope.subresource];
      const versionRules = scope.served.converter?.validate;
      const specErrs = opts.system ? [] : strategy ? strategy.validate(obj, current.obj) : versionRules ? versionRules(obj, current.obj) : t.validate(obj, current.obj);
      const errs = [...validateMeta(t, obj, current.obj), ...specErrs];
      if (errs.length) throw errors.invalid(qualified(t), name, errs);
      const { resourceVersion: _a, ...m1 } = obj.metadata;
      const { resourceVersion: _b, ...m2 } = current.obj.metadata;
      if (deepEqual({ ...obj, metadata: m1 }, { ...current.obj, metadata: m2 }) || scope.dryRun) {
        ok = true;
        return toServed(scope.served, scope.dryRun ? obj : current.obj);
      }
      const r = await core.store.update(key, obj, current.rv);
      if (r.ok) {
        ok = true;
        return toServed(scope.served, r.obj);
      }
      if (!r.current) throw errors.notFound(qualified(t), name);
      if (pinned) throw errors.conflict(qualified(t), name, 'the object has been modified; please apply your changes to the latest version and try again');
    } finally {
      committed(core, req, ok);
    }
  }
  throw errors.conflict(qualified(t), name, 'too many conflicting updates; please retry');
}

/** prepareUpdate applies the strategy's update rules: system metadata, status/spec split, defaults. */
function prepareUpdate(scope: Scope, next: KubeObject, old: KubeObject, system: boolean): KubeObject {
  const t = scope.served.type;
  let obj = next;
  if (system) {
    // A server-internal write (deletion marking): it sets exactly what it means to.
    keepSystemMeta(t, obj, old, false);
    return obj;
  }
  const strategy = t.subresourceStrategies?.[scope.subresource];
  if (strategy) {
    // The subresource changes its own part only; metadata stays as stored, as for /status.
    obj = { ...cloneJson(next), metadata: { ...cloneJson(old.metadata), resourceVersion: next.metadata.resourceVersion ?? '' } };
    if (!next.metadata.resourceVersion) delete obj.metadata.resourceVersion;
    strategy.prepareForUpdate(obj, old);
    keepSystemMeta(t, obj, old);
    return obj;
  }
  if (scope.subresource === 'status') {
    // Only status changes through /status; everything else stays as stored.
    obj = { ...cloneJson(old), status: next.status, metadata: { ...cloneJson(old.metadata), resourceVersion: next.metadata.resourceVersion ?? '' } };
    if (!next.metadata.resourceVersion) delete obj.metadata.resourceVersion;
  } else if (t.hasStatus) {
    if (old.status === undefined) delete obj.status;
    else obj.status = cloneJson(old.status);
  }
  if (obj.metadata.namespace === undefined && t.namespaced) obj.metadata.namespace = scope.namespace;
  keepSystemMeta(t, obj, old);
  if (scope.subresource !== 'status') t.prepareForUpdate?.(obj, old);
  return obj;
}

/** updateObject handles PUT: the body replaces the object (stored version), status per strategy. */
export async function updateObject(core: ApiCore, scope: Scope, name: string, body: Record<string, unknown>): Promise<KubeObject> {
  const t = scope.served.type;
  const obj = decodeForWrite(core, scope, body);
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (t.namespaced && obj.metadata.namespace && obj.metadata.namespace !== scope.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.name = name;
  await ensureNamespace(core, scope, false);
  return guaranteedUpdate(core, scope, name, () => cloneJson(obj));
}
