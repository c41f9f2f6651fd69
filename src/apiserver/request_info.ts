import { parseGoBool } from '../lib/go_bool.js';

/** RequestInfo is what a request path and method mean to the API server (k8s.io/apiserver's RequestInfo). */
export interface RequestInfo {
  /** isResourceRequest: false for /api, /apis, /version, /openapi, /healthz, … */
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** rest: path parts after the subresource (proxy paths). */
  rest: string[];
}

const methodVerbs: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

// A path of plain segments (none starting with a dot) is its own WHATWG URL pathname.
const plainPath = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;

/**
 * splitRequestUrl returns a request target's path and query as `new URL(target, 'https://localhost')`
 * gives them (pathname, searchParams); plain targets skip the URL parser, which is costly per request.
 */
export function splitRequestUrl(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (plainPath.test(path) && !target.includes('#', q)) {
    return { path: path === '' ? '/' : path, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
  }
  const url = new URL(target, 'https://localhost');
  return { path: url.pathname, query: url.searchParams };
}

/** parseRequestInfo decodes a URL path and method; query carries `watch`. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: (methodVerbs[method] ?? method.toLowerCase()),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    rest: [],
  };
  const segments = path.split('/').filter((p) => p !== '');
  const parts = path.includes('%') ? segments.map(decodeURIComponent) : segments;
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let i = 1;
  if (prefix === 'apis') {
    if (parts.length < 3) return info; // /apis or /apis/<group>: discovery
    info.group = parts[1] ?? '';
    i = 2;
  } else if (parts.length < 2) {
    return info; // /api
  }
  info.version = parts[i] ?? '';
  i++;
  let rest = parts.slice(i);
  if (rest.length === 0) return info; // /api/v1: discovery
  info.isResourceRequest = true;
  // Deprecated /watch/ prefix: /api/v1/watch/pods.
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    info.namespace = rest[1] ?? '';
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    // /api/v1/namespaces/{name}: the namespace object itself.
    info.resource = 'namespaces';
    info.name = rest[1] ?? '';
    rest = [];
  }
  if (rest.length > 0) {
    info.resource = rest[0] ?? '';
    info.name = rest[1] ?? '';
    info.subresource = rest[2] ?? '';
    info.rest = rest.slice(3);
  } else if (!info.resource) {
    info.resource = 'namespaces';
  }
  // The namespace's own subresources: /api/v1/namespaces/{name}/status|finalize.
  if (info.namespace && (info.resource === 'status' || info.resource === 'finalize') && !info.name) {
    info.subresource = info.resource;
    info.resource = 'namespaces';
    info.name = info.namespace;
    info.namespace = '';
  }
  // Any strconv.ParseBool spelling (the Python client sends watch=True).
  const isWatch = watchPath || parseGoBool(query.get('watch') ?? '') === true;
  if (method === 'GET' || method === 'HEAD') {
    if (isWatch) info.verb = 'watch';
    else if (!info.name) info.verb = 'list';
  } else if (method === 'DELETE' && !info.name) {
    info.verb = 'deletecollection';
  }
  return info;
}
