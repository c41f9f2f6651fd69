import type { IncomingMessage } from 'node:http';
import { errors } from '../../api/errors.js';
import type { ApiCore } from '../core.js';
import type { SubresourceHandler } from '../rest_handler.js';
import { dialKubelet, kubeletLocation, type KubeletClientOptions } from './kubelet_client.js';
import { queryBool } from '../query.js';
import { podTarget, validateContainer } from './pod_target.js';
import { isUpgraded, spliceSockets, upgradeRequestHead } from './upgrade.js';

/** PodStreamKind names the streaming pod subresources. */
export type PodStreamKind = 'exec' | 'attach' | 'portforward';

/** kubeletStreamQuery turns PodExecOptions/PodAttachOptions/PodPortForwardOptions into the kubelet's query (input/output/error/tty, command, port). */
export function kubeletStreamQuery(kind: PodStreamKind, q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  if (kind === 'portforward') {
    const ports = q.getAll('ports').flatMap((p) => p.split(',')).filter((p) => p !== '');
    for (const p of ports) {
      const n = Number(p);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw errors.badRequest(`invalid port: ${p}`);
    }
    if (ports.length) out.set('port', ports.join(','));
    return out;
  }
  const io: [string, string][] = [['stdin', 'input'], ['stdout', 'output'], ['stderr', 'error'], ['tty', 'tty']];
  for (const [from, to] of io) if (queryBool(q, from)) out.set(to, '1');
  if (kind === 'exec') for (const c of q.getAll('command')) out.append('command', c);
  return out;
}

/**
 * podStreamHandler serves pods/NAME/exec|attach|portforward (GET or POST with Connection:
 * Upgrade, SPDY or WebSocket): it checks the pod, container and node, then forwards the upgrade
 * request to the kubelet over TLS with the API server's client certificate and pipes the
 * connections, so the kubelet's 101 (or its refusal, which makes kubectl fall back from WebSocket
 * to SPDY) reaches the client as sent.
 */
export function podStreamHandler(core: ApiCore, kubelet: KubeletClientOptions, kind: PodStreamKind): SubresourceHandler {
  return async (req: IncomingMessage, _res, scope, name, info) => {
    if (info.verb !== 'get' && info.verb !== 'create') throw errors.methodNotSupported({ group: '', resource: `pods/${kind}` }, info.verb);
    if (!isUpgraded(req)) throw errors.badRequest('Upgrade request required');
    const query = new URL(req.url ?? '/', 'https://localhost').searchParams;
    const params = kubeletStreamQuery(kind, query);
    const target = await podTarget(core, scope, name);
    const container = kind === 'portforward' ? '' : validateContainer(target.pod, query.get('container') ?? '');
    if (!target.nodeName) throw errors.badRequest(`pod ${name} does not have a host assigned`);
    const loc = await kubeletLocation(core, target.nodeName, kubelet.preferredAddressTypes);
    const segments = [kind === 'portforward' ? 'portForward' : kind, target.namespace, name, ...(container ? [container] : [])];
    const qs = params.toString();
    const path = '/' + segments.map(encodeURIComponent).join('/') + (qs ? `?${qs}` : '');
    const backend = await dialKubelet(kubelet, loc);
    backend.write(upgradeRequestHead(req, path, `${loc.host.includes(':') ? `[${loc.host}]` : loc.host}:${loc.port}`));
    spliceSockets(req.socket, backend);
  };
}
