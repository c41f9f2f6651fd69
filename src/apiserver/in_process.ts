import type { KubeObject } from '../api/types.js';
import { isObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import { cloneJson } from './json_clone.js';
import type { ApiRequest, Transport, WatchMessage, WatchRequest } from '../api/transport.js';
import type { ApiCore } from './core.js';
import type { UserInfo } from './auth.js';
import type { DeleteOptions, ListOptions, Scope } from './scope.js';
import { createObject, updateObject } from './writes.js';
import { patchObject } from './patch_object.js';
import { deleteObject } from './delete.js';
import { toScale, updateScale } from './scale.js';
import { bindPod, evictPod } from './pod_subresources.js';
import { finalizeNamespace } from './namespace_finalize.js';
import { updateApproval } from './certificates/approval.js';
import { check, type Authorizer } from './authz/index.js';
import { singleNameSelector } from './authz/attributes.js';

function listOptions(q: Record<string, string> = {}): ListOptions {
  const o: ListOptions = {};
  if (q.labelSelector) o.labelSelector = q.labelSelector;
  if (q.fieldSelector) o.fieldSelector = q.fieldSelector;
  if (q.limit) o.limit = Number(q.limit);
  if (q.continue) o.continue = q.continue;
  if (q.resourceVersion !== undefined) o.resourceVersion = q.resourceVersion;
  if (q.timeoutSeconds) o.timeoutSeconds = Number(q.timeoutSeconds);
  if (q.allowWatchBookmarks === 'true') o.allowWatchBookmarks = true;
  return o;
}

function deleteOptions(body: unknown, q: Record<string, string> = {}): DeleteOptions {
  const o: DeleteOptions = {};
  const b = isObject(body) ? body : {};
  const grace = b.gracePeriodSeconds ?? (q.gracePeriodSeconds !== undefined ? Number(q.gracePeriodSeconds) : undefined);
  if (typeof grace === 'number') o.gracePeriodSeconds = grace;
  const p = b.propagationPolicy ?? q.propagationPolicy;
  if (p === 'Orphan' || p === 'Background' || p === 'Foreground') o.propagationPolicy = p;
  if (isObject(b.preconditions)) o.preconditions = b.preconditions as DeleteOptions['preconditions'] & object;
  return o;
}

/**
 * InProcessTransport lets the server's own components call the API without HTTP: requests take
 * the same path as HTTPS ones after authentication (admission, validation, storage). Objects are
 * copied in and out so callers never share memory with the watch caches.
 */
export class InProcessTransport implements Transport {
  constructor(
    private readonly core: ApiCore,
    private readonly user: UserInfo,
    /** authorizer, when given, checks every call as the HTTPS front does. */
    private readonly authorizer?: Authorizer,
  ) {}

  private authorize(verb: string, group: string, resource: string, subresource: string, namespace: string, name: string, query?: Record<string, string>): void {
    if (!this.authorizer) return;
    if (!name && (verb === 'list' || verb === 'watch') && query?.fieldSelector) name = singleNameSelector(query.fieldSelector) ?? '';
    check(this.authorizer, { user: this.user, verb, isResourceRequest: true, path: '', apiGroup: group, resource, subresource, namespace, name });
  }

  private scope(group: string, version: string, resource: string, namespace: string | undefined, subresource: string, dryRun = false): Scope {
    const served = this.core.registry.lookup(group, version, resource);
    if (!served) throw errors.notFoundPath(`${group}/${version}/${resource}`);
    return { served, namespace: served.type.namespaced ? namespace ?? '' : '', subresource, user: this.user, dryRun, fieldValidation: 'Ignore', warnings: [] };
  }

  /** request performs one call and returns a private copy of the answer. */
  async request(req: ApiRequest): Promise<unknown> {
    const scope = this.scope(req.group, req.version, req.resource, req.namespace, req.subresource ?? '', req.query?.dryRun === 'All');
    const name = req.name ?? '';
    this.authorize(req.verb, req.group, req.resource, scope.subresource, scope.namespace, name, req.query);
    const body = req.body === undefined ? undefined : cloneJson(req.body);
    const obj = (): Record<string, unknown> => {
      if (!isObject(body)) throw errors.badRequest('a request body object is required');
      return body;
    };
    switch (req.verb) {
      case 'get':
        if (scope.subresource === 'scale') return toScale(scope, await this.core.get(scope, name));
        return cloneJson(await this.core.get(scope, name));
      case 'list': {
        const r = await this.core.list(scope, listOptions(req.query));
        const metadata: Record<string, unknown> = { resourceVersion: r.resourceVersion };
        if (r.continue) metadata.continue = r.continue;
        return { kind: `${scope.served.type.kind}List`, apiVersion: req.group ? `${req.group}/${req.version}` : req.version, metadata, items: cloneJson(r.items) };
      }
      case 'create': {
        const creator = this.core.creators.get(scope.served.type);
        if (creator && !scope.subresource) return cloneJson(await creator(scope, obj() as KubeObject));
        if (scope.subresource === 'binding') return bindPod(this.core, scope, name, body);
        if (scope.subresource === 'eviction') return evictPod(this.core, scope, name, body);
        const subCreator = req.group === '' ? this.core.subresourceCreators.get(`${req.resource}/${scope.subresource}`) : undefined;
        if (subCreator && name) return cloneJson(await subCreator(scope, name, obj() as KubeObject));
        if (scope.subresource) throw errors.notFoundPath(`${req.resource}/${scope.subresource}`);
        return cloneJson(await createObject(this.core, scope, obj()));
      }
      case 'update':
        if (scope.subresource === 'scale') return updateScale(this.core, scope, name, { put: obj() });
        if (scope.subresource === 'finalize') return cloneJson(await finalizeNamespace(this.core, scope, name, obj()));
        if (scope.subresource === 'approval') return cloneJson(await updateApproval(this.core, scope, name, obj()));
        return cloneJson(await updateObject(this.core, scope, name, obj()));
      case 'patch':
        if (scope.subresource === 'scale') return updateScale(this.core, scope, name, { patchType: req.patchType ?? 'merge', patch: body });
        return cloneJson(await patchObject(this.core, scope, name, req.patchType ?? 'merge', body));
      case 'delete':
        return cloneJson((await deleteObject(this.core, scope, name, deleteOptions(body, req.query))).obj);
      case 'deletecollection': {
        const r = await this.core.list(scope, listOptions(req.query));
        for (const item of r.items) {
          try {
            await deleteObject(this.core, { ...scope, namespace: item.metadata.namespace ?? scope.namespace }, item.metadata.name ?? '', deleteOptions(body, req.query));
          } catch (e) {
            if ((e as { code?: number }).code !== 404) throw e;
          }
        }
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
      }
    }
  }

  /** watch streams events (copied) until stopped; onClose gets the error that ended it, if any. */
  async watch(req: WatchRequest, onEvent: (e: WatchMessage) => void, onClose: (err?: Error) => void): Promise<() => void> {
    const scope = this.scope(req.group, req.version, req.resource, req.namespace, '');
    this.authorize('watch', req.group, req.resource, '', scope.namespace, '', req.query);
    const opts = listOptions(req.query);
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const close = (err?: Error): void => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      stop();
      onClose(err);
    };
    let stop: () => void = () => {};
    stop = await this.core.watch(scope, opts, {
      send: (type, o: KubeObject) => {
        if (!closed) onEvent({ type, object: cloneJson(o) });
        return !closed;
      },
      close: (err) => queueMicrotask(() => close(err)),
    });
    if (opts.timeoutSeconds) {
      timer = setTimeout(() => close(), opts.timeoutSeconds * 1000);
      timer.unref();
    }
    return () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      stop();
    };
  }
}
