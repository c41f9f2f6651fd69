// The API server's proxy subresources: services/proxy, pods/proxy and nodes/proxy pass any HTTP
// request (and upgrades) on to a Service endpoint, a pod or a node's kubelet, as `kubectl proxy`
// URLs expect. Register the handlers as ApiServer's `subresources`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import type { ApiCore } from '../core.js';
import type { KubeletClientOptions } from '../node_proxy/kubelet_client.js';
import { isUpgraded } from '../node_proxy/upgrade.js';
import type { RequestInfo } from '../request_info.js';
import type { SubresourceHandler } from '../rest_handler.js';
import type { Scope } from '../scope.js';
import { forward, forwardUpgrade } from './forward.js';
import { isGlobalUnicast, podLocation, serviceLocation, type ProxyTarget } from './location.js';
import { nodeLocation } from './node_location.js';
import { proxiedPath } from './rewrite.js';

export { isGlobalUnicast, splitSchemeNamePort } from './location.js';

/** ProxyOptions configures the proxy subresources. */
export interface ProxyOptions {
  /** kubelet is how nodes/proxy reaches kubelets (the API server's kubelet client certificate). */
  kubelet: KubeletClientOptions;
  /** connectTo maps a backend IP to the address actually dialled (tests: loopback doubles behind pod IPs). */
  connectTo?: (ip: string) => string;
}

type Locate = (scope: Scope, name: string) => Promise<ProxyTarget>;

const VERBS = new Set(['get', 'create', 'update', 'patch', 'delete']);

function rawPathAndQuery(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

function proxyHandler(resource: string, locate: Locate, connectTo: ((ip: string) => string) | undefined): SubresourceHandler {
  return async (req: IncomingMessage, res: ServerResponse, scope: Scope, name: string, info: RequestInfo) => {
    if (!VERBS.has(info.verb)) throw errors.methodNotSupported({ group: '', resource: `${resource}/proxy` }, info.verb);
    const { path: requestPath, query } = rawPathAndQuery(req.url ?? '/');
    const backendPath = proxiedPath(info.rest, requestPath);
    const upgrade = isUpgraded(req);
    // `.../proxy` itself: send GETs to `.../proxy/` so relative links resolve (upstream's issue 4958 redirect).
    if (!upgrade && backendPath === '' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(301, { Location: `${requestPath}/${query ? `?${query}` : ''}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    const target = await locate(scope, name);
    if (connectTo) target.dialHost = connectTo(target.host);
    const p = { target, backendPath, requestPath, restCount: info.rest.length, rawQuery: query };
    if (upgrade) return forwardUpgrade(req, p);
    return forward(req, res, p);
  };
}

/** proxySubresources returns the handlers for `services/proxy`, `pods/proxy` and `nodes/proxy`. */
export function proxySubresources(core: ApiCore, opts: ProxyOptions): Map<string, SubresourceHandler> {
  const c = opts.connectTo;
  return new Map<string, SubresourceHandler>([
    ['services/proxy', proxyHandler('services', (scope, name) => serviceLocation(core, scope, name), c)],
    ['pods/proxy', proxyHandler('pods', (scope, name) => podLocation(core, scope, name, isGlobalUnicast), c)],
    ['nodes/proxy', proxyHandler('nodes', (_scope, name) => nodeLocation(core, opts.kubelet, name, isGlobalUnicast), c)],
  ]);
}
