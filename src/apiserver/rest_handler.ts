import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../api/types.js';
import { errors } from '../api/errors.js';
import type { ApiCore } from './core.js';
import type { UserInfo } from './auth.js';
import type { RequestInfo } from './request_info.js';
import type { DeleteOptions, FieldValidation, ListOptions, Scope } from './scope.js';
import { decodeBody, decodeObjectBody, readBody, warningHeader, writeJSON } from './http_io.js';
import { negotiate } from './negotiate.js';
import { queryBool, queryInt } from './query.js';
import { toTable, includeObject } from './table.js';
import { createObject, updateObject, qualified } from './writes.js';
import { patchObject } from './patch_object.js';
import { deleteObject } from './delete.js';
import { toScale, updateScale } from './scale.js';
import { patchTypeFromContentType } from './patch/index.js';
import { serveWatch } from './watch_handler.js';
import { bindPod, evictPod } from './pod_subresources.js';
import { finalizeNamespace } from './namespace_finalize.js';

/** SubresourceHandler serves subresources the generic handler does not know (binding, log, exec, …). */
export type SubresourceHandler = (req: IncomingMessage, res: ServerResponse, scope: Scope, name: string, info: RequestInfo) => Promise<void>;


function listOptions(q: URLSearchParams): ListOptions {
  const o: ListOptions = {};
  const set = <K extends keyof ListOptions>(k: K, v: ListOptions[K] | undefined | null): void => {
    if (v !== undefined && v !== null && v !== '') o[k] = v;
  };
  set('labelSelector', q.get('labelSelector'));
  set('fieldSelector', q.get('fieldSelector'));
  set('limit', queryInt(q, 'limit'));
  set('continue', q.get('continue'));
  set('resourceVersion', q.get('resourceVersion'));
  set('resourceVersionMatch', q.get('resourceVersionMatch'));
  set('timeoutSeconds', queryInt(q, 'timeoutSeconds'));
  if (queryBool(q, 'allowWatchBookmarks')) o.allowWatchBookmarks = true;
  if (queryBool(q, 'sendInitialEvents')) o.sendInitialEvents = true;
  return o;
}

function fieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}. Supported values are Strict, Warn, Ignore`);
}

function dryRun(q: URLSearchParams): boolean {
  const all = q.getAll('dryRun');
  for (const v of all) if (v !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return all.length > 0;
}

/** RestHandler serves resource requests (everything under /api/v1 and /apis/<g>/<v> naming a resource). */
export class RestHandler {
  constructor(
    private readonly core: ApiCore,
    private readonly subresources: Map<string, SubresourceHandler> = new Map(),
  ) {}

  /** serve answers one resource request; errors propagate to the caller as StatusErrors. */
  async serve(req: IncomingMessage, res: ServerResponse, info: RequestInfo, user: UserInfo, query: URLSearchParams): Promise<void> {
    const served = this.core.registry.lookup(info.group, info.version, info.resource);
    if (!served) throw errors.notFoundPath(info.path);
    const t = served.type;
    if (!t.namespaced && info.namespace) throw errors.notFoundPath(info.path);
    const scope: Scope = { served, namespace: t.namespaced ? info.namespace : '', subresource: info.subresource, user, dryRun: dryRun(query), fieldValidation: fieldValidation(query), warnings: [] };
    const send = (code: number, obj: unknown): void => {
      const headers: Record<string, string | string[]> = {};
      if (scope.warnings.length) headers.Warning = warningHeader(scope.warnings);
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      writeJSON(res, code, obj);
    };
    const sub = info.subresource;
    if (info.verb === 'create' && t.plural === 'pods' && t.group === '' && (sub === 'binding' || sub === 'eviction')) {
      const body = decodeObjectBody(await readBody(req), req.headers['content-type']);
      return send(201, sub === 'binding' ? await bindPod(this.core, scope, info.name, body) : await evictPod(this.core, scope, info.name, body));
    }
    if (info.verb === 'update' && t.plural === 'namespaces' && t.group === '' && sub === 'finalize') {
      const body = decodeObjectBody(await readBody(req), req.headers['content-type']);
      return send(200, await finalizeNamespace(this.core, scope, info.name, body));
    }
    const partial = sub ? t.subresourceStrategies?.[sub] !== undefined : false;
    if (partial && !['get', 'update', 'patch'].includes(info.verb)) throw errors.methodNotSupported(qualified(t), info.verb);
    if (sub && sub !== 'status' && sub !== 'scale' && !partial) {
      const subCreator = t.group === '' && info.verb === 'create' ? this.core.subresourceCreators.get(`${t.plural}/${sub}`) : undefined;
      if (subCreator && info.name) return send(201, await subCreator(scope, info.name, decodeObjectBody(await readBody(req), req.headers['content-type']) as KubeObject));
      const h = this.subresources.get(`${t.plural}/${sub}`);
      if (!h || !info.name) throw errors.notFoundPath(info.path);
      return h(req, res, scope, info.name, info);
    }
    if (t.verbs && !t.verbs.includes(info.verb)) throw errors.methodNotSupported(qualified(t), info.verb);
    const creator = this.core.creators.get(t);
    if (creator && info.verb === 'create' && !sub) {
      const body = decodeObjectBody(await readBody(req), req.headers['content-type']);
      return send(201, await creator(scope, body as KubeObject));
    }
    if (sub === 'status' && !t.hasStatus) throw errors.notFoundPath(info.path);
    if (sub === 'scale' && !t.scale) throw errors.notFoundPath(info.path);
    switch (info.verb) {
      case 'get': {
        const obj = await this.core.get(scope, info.name);
        if (sub === 'scale') return send(200, toScale(scope, obj));
        return send(200, this.render(req, scope, [obj], query, false, obj.metadata.resourceVersion));
      }
      case 'list': {
        const r = await this.core.list(scope, listOptions(query));
        return send(200, this.renderList(req, scope, r, query));
      }
      case 'watch':
        return serveWatch(this.core, req, res, scope, listOptions(query), query);
      case 'create': {
        if (info.name && !sub) throw errors.methodNotSupported(qualified(t), 'create');
        if (sub) throw errors.methodNotSupported(qualified(t), 'create');
        const body = decodeObjectBody(await readBody(req), req.headers['content-type']);
        return send(201, await createObject(this.core, scope, body));
      }
      case 'update': {
        const body = decodeObjectBody(await readBody(req), req.headers['content-type']);
        if (sub === 'scale') return send(200, await updateScale(this.core, scope, info.name, { put: body }));
        return send(200, await updateObject(this.core, scope, info.name, body));
      }
      case 'patch': {
        const ct = req.headers['content-type'] ?? '';
        const type = patchTypeFromContentType(ct);
        if (!type) throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
        const patch = decodeBody(await readBody(req), 'application/json');
        if (sub === 'scale') return send(200, await updateScale(this.core, scope, info.name, { patchType: type, patch }));
        return send(200, await patchObject(this.core, scope, info.name, type, patch));
      }
      case 'delete': {
        const opts = await deleteOptions(req, query);
        const out = await deleteObject(this.core, scope, info.name, opts);
        if (!out.deleted || t.plural === 'pods') return send(200, out.obj);
        return send(200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: info.name, group: t.group, kind: t.plural, uid: out.obj.metadata.uid },
        });
      }
      case 'deletecollection': {
        const opts = await deleteOptions(req, query);
        const r = await this.core.list(scope, listOptions(query));
        const items: KubeObject[] = [];
        for (const item of r.items) {
          const itemScope = { ...scope, namespace: item.metadata.namespace ?? scope.namespace };
          try {
            items.push((await deleteObject(this.core, itemScope, item.metadata.name ?? '', opts)).obj);
          } catch (e) {
            if ((e as { code?: number }).code !== 404) throw e;
          }
        }
        return send(200, { kind: `${t.kind}List`, apiVersion: r.items[0]?.apiVersion ?? '', metadata: { resourceVersion: r.resourceVersion }, items });
      }
      default:
        throw errors.methodNotSupported(qualified(t), info.verb);
    }
  }

  private render(req: IncomingMessage, scope: Scope, objs: KubeObject[], query: URLSearchParams, _list: boolean, rv?: string): unknown {
    const target = negotiate(req.headers.accept, { table: true });
    if (target.as === 'Table') {
      const opts: Parameters<typeof toTable>[2] = { now: this.core.opts.clock.now(), include: includeObject(query), version: target.version };
      if (rv !== undefined) opts.resourceVersion = rv;
      return toTable(scope.served.type, objs, opts);
    }
    if (target.as === 'PartialObjectMetadata') {
      const o = objs[0]!;
      return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${target.version}`, metadata: o.metadata };
    }
    return objs[0];
  }

  private renderList(req: IncomingMessage, scope: Scope, r: { items: KubeObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number }, query: URLSearchParams): unknown {
    const t = scope.served.type;
    const target = negotiate(req.headers.accept, { table: true });
    const metadata: Record<string, unknown> = { resourceVersion: r.resourceVersion };
    if (r.continue) metadata.continue = r.continue;
    if (r.remainingItemCount !== undefined) metadata.remainingItemCount = r.remainingItemCount;
    if (target.as === 'Table') {
      const opts: Parameters<typeof toTable>[2] = { now: this.core.opts.clock.now(), include: includeObject(query), version: target.version, resourceVersion: r.resourceVersion };
      if (r.continue) opts.continue = r.continue;
      if (r.remainingItemCount !== undefined) opts.remainingItemCount = r.remainingItemCount;
      return toTable(t, r.items, opts);
    }
    if (target.as === 'PartialObjectMetadata') {
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${target.version}`,
        metadata,
        items: r.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${target.version}`, metadata: o.metadata })),
      };
    }
    const apiVersion = scope.served.group ? `${scope.served.group}/${scope.served.version}` : scope.served.version;
    return { kind: `${t.kind}List`, apiVersion, metadata, items: r.items };
  }
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req);
  const opts: DeleteOptions = {};
  if (body.length && body.toString().trim()) {
    const b = decodeBody(body, req.headers['content-type']) as Record<string, unknown>;
    if (typeof b.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = b.gracePeriodSeconds;
    if (b.propagationPolicy === 'Orphan' || b.propagationPolicy === 'Background' || b.propagationPolicy === 'Foreground') opts.propagationPolicy = b.propagationPolicy;
    else if (b.propagationPolicy !== undefined && b.propagationPolicy !== null) throw errors.badRequest(`propagationPolicy: Unsupported value: "${String(b.propagationPolicy)}"`);
    if (typeof b.orphanDependents === 'boolean') opts.orphanDependents = b.orphanDependents;
    if (b.preconditions && typeof b.preconditions === 'object') opts.preconditions = b.preconditions as DeleteOptions['preconditions'] & object;
  }
  const g = queryInt(q, 'gracePeriodSeconds');
  if (g !== undefined) opts.gracePeriodSeconds = g;
  const p = q.get('propagationPolicy');
  if (p === 'Orphan' || p === 'Background' || p === 'Foreground') opts.propagationPolicy = p;
  else if (p) throw errors.badRequest(`propagationPolicy: Unsupported value: "${p}"`);
  if (q.has('orphanDependents') && q.get('orphanDependents') !== '') opts.orphanDependents = queryBool(q, 'orphanDependents');
  return opts;
}
