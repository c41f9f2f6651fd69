import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { arr, num, str } from '../../api/object.js';
import type { ApiCore } from '../core.js';
import type { Scope } from '../scope.js';

/** ProxyTarget is the backend a proxy request goes to; `tls` is set for https backends. */
export interface ProxyTarget {
  scheme: 'http' | 'https';
  host: string;
  /** port: absent means the scheme's default port. */
  port?: number;
  tls?: ConnectionOptions;
  /** dialHost is where to connect when not `host` itself. */
  dialHost?: string;
}

/** SchemeNamePort is a proxy id `[scheme:]name[:port]` split (k8s.io/apimachinery's SplitSchemeNamePort). */
export interface SchemeNamePort {
  scheme: '' | 'http' | 'https';
  name: string;
  port: string;
}

/** splitSchemeNamePort splits `name`, `name:port` or `scheme:name:port`; undefined when invalid. */
export function splitSchemeNamePort(id: string): SchemeNamePort | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) name = parts[0] ?? '';
  else if (parts.length === 2) [name = '', port = ''] = parts;
  else if (parts.length === 3) [scheme = '', name = '', port = ''] = parts;
  else return undefined;
  if (!name || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme, name, port };
}

/** isGlobalUnicast is Go's net.IP.IsGlobalUnicast for an address string (false when not an IP). */
export function isGlobalUnicast(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    if (ip === '0.0.0.0' || ip === '255.255.255.255') return false;
    return a !== 127 && !(a >= 224 && a <= 239) && !(a === 169 && b === 254);
  }
  if (family === 6) {
    const l = ip.toLowerCase();
    if (l === '::' || l === '::1') return false;
    if (l.startsWith('ff')) return false;
    return !/^fe[89ab]/.test(l);
  }
  return false;
}

/** AddressPolicy decides which backend addresses may be proxied to (kube-apiserver: global unicast only). */
export type AddressPolicy = (ip: string) => boolean;

/** portNumber parses a decimal port; undefined when not a number. */
export function portNumber(port: string): number | undefined {
  if (!/^\d+$/.test(port)) return undefined;
  return Number(port);
}

/** podIP is the pod's primary IP (status.podIPs[0], else status.podIP). */
export function podIP(pod: KubeObject): string {
  return str(arr(pod, 'status', 'podIPs')[0], 'ip') ?? str(pod, 'status', 'podIP') ?? '';
}

function hostWithPort(scheme: string, host: string, port: string): ProxyTarget {
  const target: ProxyTarget = { scheme: scheme === 'https' ? 'https' : 'http', host };
  if (port) {
    const n = portNumber(port);
    if (n === undefined || n < 1 || n > 65535) throw errors.badRequest(`invalid port: ${port}`);
    target.port = n;
  }
  if (target.scheme === 'https') target.tls = { rejectUnauthorized: false };
  return target;
}

/**
 * podLocation resolves pods/[scheme:]NAME[:PORT]: the pod IP and the given port, else the first
 * declared container port (kube-apiserver's pod ResourceLocation).
 */
export async function podLocation(core: ApiCore, scope: Scope, id: string, allowed: AddressPolicy): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw errors.badRequest(`invalid pod request "${id}"`);
  const pod = await core.get({ ...scope, subresource: '' }, parsed.name);
  let port = parsed.port;
  if (!port) {
    const withPort = arr(pod, 'spec', 'containers').find((c) => arr(c, 'ports').length > 0);
    if (withPort) port = String(num(arr(withPort, 'ports')[0], 'containerPort'));
  }
  const ip = podIP(pod);
  if (!isIP(ip) || !allowed(ip)) throw errors.badRequest('address not allowed');
  return hostWithPort(parsed.scheme, ip, port);
}

async function stored(core: ApiCore, plural: string, namespace: string, name: string): Promise<KubeObject> {
  const served = core.registry.lookup('', 'v1', plural);
  if (!served) throw errors.internal(`${plural} are not served`);
  return (await core.getStored(served.type, namespace, name)).obj;
}

/** isValidAddress: only addresses that are the IP of the pod they name are proxied to (kube-apiserver's isValidAddress). */
async function isValidAddress(core: ApiCore, namespace: string, address: unknown): Promise<boolean> {
  const ref = (address as { targetRef?: unknown }).targetRef;
  if (str(ref, 'kind') !== 'Pod' || str(ref, 'namespace') !== namespace) return false;
  try {
    const pod = await stored(core, 'pods', namespace, str(ref, 'name') ?? '');
    const ip = str(address, 'ip');
    return arr(pod, 'status', 'podIPs').some((p) => str(p, 'ip') === ip) || str(pod, 'status', 'podIP') === ip;
  } catch {
    return false;
  }
}

function shuffled<T>(items: T[]): T[] {
  const start = Math.floor(Math.random() * items.length);
  return items.map((_, i) => items[(start + i) % items.length] as T);
}

/**
 * serviceLocation resolves services/[scheme:]NAME[:PORT] (port by name, or by number mapped to
 * the Service port's name) to a ready address of its Endpoints that belongs to a pod, picked at
 * random, with that subset's port (kube-apiserver's service ResourceLocation).
 */
export async function serviceLocation(core: ApiCore, scope: Scope, id: string): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw errors.badRequest(`invalid service request "${id}"`);
  const { name } = parsed;
  let portName = parsed.port;
  const asNumber = portNumber(portName);
  if (asNumber !== undefined) {
    const svc = await core.get({ ...scope, subresource: '' }, name);
    const declared = arr(svc, 'spec', 'ports').find((p) => num(p, 'port') === asNumber);
    if (!declared) throw errors.serviceUnavailable(`no service port ${asNumber} found for service "${name}"`);
    portName = str(declared, 'name') ?? '';
  }
  const endpoints = await stored(core, 'endpoints', scope.namespace, name);
  const subsets = arr(endpoints, 'subsets');
  if (subsets.length === 0) throw errors.serviceUnavailable(`no endpoints available for service "${name}"`);
  for (const subset of shuffled(subsets)) {
    const addresses = arr(subset, 'addresses');
    if (addresses.length === 0) continue;
    for (const port of arr(subset, 'ports')) {
      if ((str(port, 'name') ?? '') !== portName) continue;
      for (const address of shuffled(addresses)) {
        if (!(await isValidAddress(core, scope.namespace, address))) continue;
        return hostWithPort(parsed.scheme, str(address, 'ip') ?? '', String(num(port, 'port')));
      }
    }
  }
  throw errors.serviceUnavailable(`no endpoints available for service "${id}"`);
}
