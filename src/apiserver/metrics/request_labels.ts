import type { RequestInfo } from '../request_info.js';

/** CONNECT_SUBRESOURCES are served by connect handlers, which kube-apiserver reports with verb CONNECT. */
const CONNECT_SUBRESOURCES = new Set(['attach', 'exec', 'portforward', 'proxy']);

/**
 * cleanScope is kube-apiserver's CleanScope: "resource" for a named object (or a create),
 * "namespace" for a namespaced collection, "cluster" for a cluster-wide one, "" off the REST API.
 */
export function cleanScope(info: RequestInfo): string {
  if (info.name !== '' || info.verb === 'create') return 'resource';
  if (info.namespace !== '') return 'namespace';
  if (info.isResourceRequest) return 'cluster';
  return '';
}

/**
 * reportedVerb is the verb label kube-apiserver puts on a request: the HTTP method in upper case,
 * except LIST (a collection GET), WATCH, APPLY (a server-side apply PATCH) and CONNECT (exec,
 * attach, port-forward, proxy).
 */
export function reportedVerb(method: string, info: RequestInfo, contentType: string | undefined): string {
  if (!info.isResourceRequest) return method === 'HEAD' ? 'GET' : method;
  if (info.verb === 'watch') return 'WATCH';
  if (CONNECT_SUBRESOURCES.has(info.subresource)) return 'CONNECT';
  switch (info.verb) {
    case 'get':
      return 'GET';
    case 'list':
      return 'LIST';
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    case 'patch':
      return contentType?.startsWith('application/apply-patch') ? 'APPLY' : 'PATCH';
    case 'delete':
    case 'deletecollection':
      return 'DELETE';
    default:
      return method;
  }
}

/** dryRunLabel is kube-apiserver's cleanDryRun for the one value it accepts: "All" or "". */
export function dryRunLabel(query: URLSearchParams): string {
  return query.get('dryRun') === 'All' ? 'All' : '';
}
