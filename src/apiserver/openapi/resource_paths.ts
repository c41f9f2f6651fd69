import type { GroupVersionKind } from './definitions.js';
import {
  BODY_PARAMS,
  groupVersionPath,
  operationPrefix,
  PATCH_TYPES,
  type DefinitionNames,
  type OpenApiResource,
  type Operation,
  type Param,
  type PathEntry,
} from './operations.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const { PRETTY, WRITE, LIST, DELETE, PRODUCES, WATCH_PRODUCES, body } = BODY_PARAMS;

interface Ctx {
  r: OpenApiResource;
  gvk: GroupVersionKind;
  def: string;
  listDef: string;
  prefix: string;
  tag: string;
  ns: string;
}

/**
 * resourcePaths returns the paths kube-apiserver publishes for one resource: collection and item
 * (per namespace and, for namespaced resources, across namespaces), watch paths, and the status
 * and scale subresources. Only operations for the resource's verbs are included.
 */
export function resourcePaths(r: OpenApiResource, names: DefinitionNames): PathEntry[] {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const c: Ctx = {
    r,
    gvk,
    def: names(gvk) ?? '',
    listDef: names({ ...gvk, kind: `${r.kind}List` }) ?? '',
    prefix: operationPrefix(r.group, r.version),
    tag: operationPrefix(r.group, r.version).replace(/(V\d\w*)$/, '_$1').toLowerCase(),
    ns: r.namespaced ? 'Namespaced' : '',
  };
  const base = `/${groupVersionPath(r.group, r.version)}`;
  const nsPath = r.namespaced ? `${base}/namespaces/{namespace}` : base;
  const nsParam: Param[] = r.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
  const nameParam = pathParam('name', `name of the ${r.kind}`);
  const has = (v: string): boolean => r.verbs.includes(v);
  const out: PathEntry[] = [];
  const push = (path: string, params: Param[], ops: (Operation | undefined)[]): void => {
    const defined = ops.filter((o): o is Operation => o !== undefined);
    if (defined.length > 0) out.push({ path, params, ops: defined });
  };
  push(`${nsPath}/${r.plural}`, [...nsParam, PRETTY], [
    has('list') ? op(c, 'get', 'list', `list${c.prefix}${c.ns}${r.kind}`, LIST, { '200': c.listDef }, `list or watch objects of kind ${r.kind}`) : undefined,
    has('create') ? op(c, 'post', 'post', `create${c.prefix}${c.ns}${r.kind}`, [body(c.def), ...WRITE], { '200': c.def, '201': c.def, '202': c.def }, `create a ${r.kind}`) : undefined,
    has('deletecollection')
      ? op(c, 'delete', 'deletecollection', `delete${c.prefix}Collection${c.ns}${r.kind}`, [body(`${META}.DeleteOptions`, false), ...DELETE, ...LIST], { '200': `${META}.Status` }, `delete collection of ${r.kind}`)
      : undefined,
  ]);
  push(`${nsPath}/${r.plural}/{name}`, [nameParam, ...nsParam, PRETTY], itemOps(c, ''));
  if (r.hasStatus) push(`${nsPath}/${r.plural}/{name}/status`, [nameParam, ...nsParam, PRETTY], itemOps(c, 'Status'));
  if (r.subresources.includes('scale')) {
    const scale = { ...c, gvk: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, def: 'io.k8s.api.autoscaling.v1.Scale' };
    push(`${nsPath}/${r.plural}/{name}/scale`, [nameParam, ...nsParam, PRETTY], itemOps(scale, 'Scale', r.kind));
  }
  if (r.namespaced && has('list')) {
    push(`${base}/${r.plural}`, [...LIST, PRETTY], [op(c, 'get', 'list', `list${c.prefix}${r.kind}ForAllNamespaces`, [], { '200': c.listDef }, `list or watch objects of kind ${r.kind}`)]);
  }
  if (has('watch')) out.push(...watchPaths(c, base, nsParam, nameParam));
  return out;
}

/** itemOps are get/replace/patch (and delete, for the main resource) on one object or its subresource. */
function itemOps(c: Ctx, sub: string, kind = c.r.kind): (Operation | undefined)[] {
  const has = (v: string): boolean => c.r.verbs.includes(v);
  const id = (verb: string): string => `${verb}${c.prefix}${c.ns}${kind}${sub}`;
  const what = sub === '' ? `the specified ${kind}` : `${sub.toLowerCase()} of the specified ${kind}`;
  return [
    has('get') ? op(c, 'get', 'get', id('read'), [], { '200': c.def }, `read ${what}`) : undefined,
    has('update') ? op(c, 'put', 'put', id('replace'), [body(c.def), ...WRITE], { '200': c.def, '201': c.def }, `replace ${what}`) : undefined,
    has('patch')
      ? { ...op(c, 'patch', 'patch', id('patch'), [body(`${META}.Patch`), ...WRITE, forceParam()], { '200': c.def, '201': c.def }, `partially update ${what}`), consumes: PATCH_TYPES }
      : undefined,
    has('delete') && sub === '' ? op(c, 'delete', 'delete', id('delete'), [body(`${META}.DeleteOptions`, false), ...DELETE], { '200': `${META}.Status`, '202': `${META}.Status` }, `delete a ${kind}`) : undefined,
  ];
}

function watchPaths(c: Ctx, base: string, nsParam: Param[], nameParam: Param): PathEntry[] {
  const r = c.r;
  const event = `${META}.WatchEvent`;
  const w = (id: string, action: string, desc: string): Operation => ({
    ...op(c, 'get', action, id, [], { '200': event }, desc),
    produces: WATCH_PRODUCES,
  });
  const nsBase = r.namespaced ? `${base}/watch/namespaces/{namespace}` : `${base}/watch`;
  const out: PathEntry[] = [
    { path: `${nsBase}/${r.plural}`, params: [...LIST, ...nsParam, PRETTY], ops: [w(`watch${c.prefix}${c.ns}${r.kind}List`, 'watchlist', `watch individual changes to a list of ${r.kind}`)] },
    { path: `${nsBase}/${r.plural}/{name}`, params: [...LIST, nameParam, ...nsParam, PRETTY], ops: [w(`watch${c.prefix}${c.ns}${r.kind}`, 'watch', `watch changes to an object of kind ${r.kind}`)] },
  ];
  if (r.namespaced) {
    out.push({ path: `${base}/watch/${r.plural}`, params: [...LIST, PRETTY], ops: [w(`watch${c.prefix}${r.kind}ListForAllNamespaces`, 'watchlist', `watch individual changes to a list of ${r.kind}`)] });
  }
  return out;
}

function op(c: Ctx, method: Operation['method'], action: string, operationId: string, params: Param[], responses: Record<string, string>, description: string): Operation {
  return {
    method,
    operationId,
    description,
    action,
    gvk: c.gvk,
    params,
    responses: { ...responses, '401': '' },
    consumes: ['*/*'],
    produces: PRODUCES,
    tag: c.tag,
  };
}

function pathParam(name: string, description: string): Param {
  return { name, in: 'path', type: 'string', description, required: true };
}

function forceParam(): Param {
  return { name: 'force', in: 'query', type: 'boolean', description: 'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.' };
}
