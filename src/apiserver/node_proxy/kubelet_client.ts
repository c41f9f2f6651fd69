import { request as httpsRequest } from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { StatusError } from '../../api/errors.js';
import { arr, num, str } from '../../api/object.js';
import type { KubeObject } from '../../api/types.js';
import type { ApiCore } from '../core.js';

/** DEFAULT_KUBELET_PORT is used when a Node does not advertise its kubelet port. */
export const DEFAULT_KUBELET_PORT = 10250;

/** KubeletClientOptions is how the API server reaches kubelets (kube-apiserver's --kubelet-client-* flags). */
export interface KubeletClientOptions {
  /** certPem/keyPem: the API server's client certificate (CN system:kube-apiserver-kubelet-client). */
  certPem: string;
  keyPem: string;
  /** caPem verifies kubelet serving certificates (--kubelet-certificate-authority); unverified when absent, as kube-apiserver's default. */
  caPem?: string;
  /** preferredAddressTypes picks the node address (default InternalIP, ExternalIP, Hostname: k3s's choice). */
  preferredAddressTypes?: string[];
  /** dialTimeoutMs bounds connecting to a kubelet (default 10 s). */
  dialTimeoutMs?: number;
}

/** KubeletLocation is where a node's kubelet API listens. */
export interface KubeletLocation {
  host: string;
  port: number;
}

/** serverError is a Status like kube-apiserver's for plain Go errors: code 500, no reason, the error text. */
export function serverError(message: string, code = 500): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code });
}

/** kubeletLocation reads a Node's preferred address and status.daemonEndpoints.kubeletEndpoint.Port. */
export async function kubeletLocation(core: ApiCore, nodeName: string, preferred = ['InternalIP', 'ExternalIP', 'Hostname']): Promise<KubeletLocation> {
  const nodes = core.registry.lookup('', 'v1', 'nodes');
  if (!nodes) throw serverError('nodes are not served');
  return nodeKubeletLocation((await core.getStored(nodes.type, '', nodeName)).obj, preferred);
}

/** nodeKubeletLocation is kubeletLocation for a Node object at hand (the metrics scraper has them cached). */
export function nodeKubeletLocation(node: KubeObject, preferred = ['InternalIP', 'ExternalIP', 'Hostname']): KubeletLocation {
  const addresses = arr(node, 'status', 'addresses');
  let host: string | undefined;
  for (const t of preferred) {
    host = str(addresses.find((a) => str(a, 'type') === t), 'address');
    if (host) break;
  }
  if (!host) {
    const known = addresses.map((a) => `{${str(a, 'type') ?? ''} ${str(a, 'address') ?? ''}}`).join(' ');
    throw serverError(`no preferred addresses found; known addresses: [${known}]`);
  }
  const port = num(node, 'status', 'daemonEndpoints', 'kubeletEndpoint', 'Port') || DEFAULT_KUBELET_PORT;
  return { host, port };
}

/** tlsOptions connects to a kubelet with the API server's client certificate, verified by caPem when given. */
export function tlsOptions(opts: KubeletClientOptions, loc: KubeletLocation): ConnectionOptions {
  const o: ConnectionOptions = { host: loc.host, port: loc.port, cert: opts.certPem, key: opts.keyPem, rejectUnauthorized: opts.caPem !== undefined };
  if (opts.caPem !== undefined) o.ca = opts.caPem;
  if (!isIP(loc.host)) o.servername = loc.host;
  return o;
}

function dialError(loc: KubeletLocation, e: Error): StatusError {
  return serverError(`error dialing backend: dial tcp ${loc.host}:${loc.port}: ${e.message}`);
}

/** dialKubelet opens a TLS connection to a kubelet, authenticated with the client certificate. */
export function dialKubelet(opts: KubeletClientOptions, loc: KubeletLocation): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ ...tlsOptions(opts, loc), ALPNProtocols: ['http/1.1'] });
    const fail = (e: Error): void => {
      s.destroy();
      reject(dialError(loc, e));
    };
    s.setTimeout(opts.dialTimeoutMs ?? 10_000, () => fail(new Error('i/o timeout')));
    s.once('error', fail);
    s.once('secureConnect', () => {
      s.setTimeout(0);
      s.off('error', fail);
      resolve(s);
    });
  });
}

/**
 * kubeletGet sends GET path to a kubelet and resolves with its response once the head arrives;
 * the signal aborts the request (a client that went away).
 */
export function kubeletGet(opts: KubeletClientOptions, loc: KubeletLocation, path: string, signal: AbortSignal, headers: OutgoingHttpHeaders = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ ...tlsOptions(opts, loc), method: 'GET', path, headers, agent: false, signal });
    req.setTimeout(opts.dialTimeoutMs ?? 10_000, () => req.destroy(new Error('i/o timeout')));
    req.once('response', (res) => {
      req.setTimeout(0);
      resolve(res);
    });
    req.once('error', (e) => reject(dialError(loc, e)));
    req.end();
  });
}
