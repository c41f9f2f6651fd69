import { isIP } from 'node:net';
import { errors } from '../../api/errors.js';
import type { ApiCore } from '../core.js';
import { kubeletLocation, tlsOptions, type KubeletClientOptions } from '../node_proxy/kubelet_client.js';
import { splitSchemeNamePort, type AddressPolicy, type ProxyTarget } from './location.js';

/**
 * nodeLocation resolves nodes/[scheme:]NAME[:PORT]: without a port, or with the kubelet's port,
 * the kubelet API over TLS with the API server's kubelet client certificate; any other port with
 * the requested scheme and no client certificate (kube-apiserver's node ResourceLocation).
 */
export async function nodeLocation(core: ApiCore, kubelet: KubeletClientOptions, id: string, allowed: AddressPolicy): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw errors.badRequest(`invalid node request "${id}"`);
  const loc = await kubeletLocation(core, parsed.name, kubelet.preferredAddressTypes);
  // Host names are not resolved here: only node addresses that are IPs are proxied to.
  if (!isIP(loc.host) || !allowed(loc.host)) throw errors.badRequest('address not allowed');
  if (parsed.port === '' || parsed.port === String(loc.port)) {
    return { scheme: 'https', host: loc.host, port: loc.port, tls: tlsOptions(kubelet, loc) };
  }
  const port = Number(parsed.port);
  if (!/^\d+$/.test(parsed.port) || port < 1 || port > 65535) throw errors.badRequest(`invalid port: ${parsed.port}`);
  const scheme = parsed.scheme === 'https' ? 'https' : 'http';
  return scheme === 'https' ? { scheme, host: loc.host, port, tls: { rejectUnauthorized: false } } : { scheme, host: loc.host, port };
}
