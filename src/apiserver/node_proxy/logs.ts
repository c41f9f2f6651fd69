import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type StatusError } from '../../api/errors.js';
import { fieldErr, type FieldError } from '../../api/field_errors.js';
import type { ApiCore } from '../core.js';
import type { SubresourceHandler } from '../rest_handler.js';
import { kubeletGet, kubeletLocation, serverError, type KubeletClientOptions } from './kubelet_client.js';
import { podTarget, validateContainer } from './pod_target.js';
import { queryBool } from '../query.js';


/** kubeletLogQuery validates PodLogOptions and encodes them as the kubelet's containerLogs query. */
export function kubeletLogQuery(q: URLSearchParams, name: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const b of ['follow', 'previous', 'timestamps']) if (queryBool(q, b)) out.set(b, 'true');
  const errs: FieldError[] = [];
  const ints: [string, number][] = [['sinceSeconds', 1], ['tailLines', 0], ['limitBytes', 1]];
  for (const [field, min] of ints) {
    const v = q.get(field);
    if (v === null || v === '') continue;
    const n = Number(v);
    if (!Number.isInteger(n)) throw errors.badRequest(`invalid value for ${field}: ${v}`);
    if (n < min) errs.push(fieldErr.invalid(field, n, min === 0 ? 'must be greater than or equal to 0' : 'must be greater than 0'));
    else out.set(field, String(n));
  }
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime))) throw errors.badRequest(`invalid value for sinceTime: ${sinceTime}`);
    if (out.has('sinceSeconds')) errs.push(fieldErr.invalid('sinceTime', sinceTime, 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
    out.set('sinceTime', sinceTime);
  }
  if (errs.length) throw errors.invalid({ group: '', resource: 'podlogoptions', kind: 'PodLogOptions' }, name, errs);
  return out;
}

/** backendError maps a kubelet's failed answer to the Status kube-apiserver returns (its generic response checker). */
export function backendError(code: number, body: string, name: string): StatusError {
  if (code === 400) return errors.badRequest(body);
  if (code === 500) return errors.internal(body);
  if (code === 404) return serverError(`the server could not find the requested resource ( pods/log ${name})`, 404);
  return serverError(body || `the server responded with the status code ${code} but did not return more information`, code);
}

function withoutCA(o: KubeletClientOptions): KubeletClientOptions {
  const { caPem: _unused, ...rest } = o;
  return rest;
}

async function readLimited(res: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    const b = c as Buffer;
    if (size < limit) chunks.push(b.subarray(0, limit - size));
    size += b.length;
  }
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * podLogHandler serves GET pods/NAME/log: it validates the options and the container, then
 * streams the kubelet's containerLogs answer as text/plain. An unscheduled pod has no log yet
 * (an empty answer, as kube-apiserver gives); kubelet errors become Status objects.
 */
export function podLogHandler(core: ApiCore, kubelet: KubeletClientOptions): SubresourceHandler {
  return async (req: IncomingMessage, res: ServerResponse, scope, name, info) => {
    if (info.verb !== 'get') throw errors.methodNotSupported({ group: '', resource: 'pods/log' }, info.verb);
    const query = new URL(req.url ?? '/', 'https://localhost').searchParams;
    const params = kubeletLogQuery(query, name);
    const target = await podTarget(core, scope, name);
    const container = validateContainer(target.pod, query.get('container') ?? '');
    if (!target.nodeName) {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
      res.end();
      return;
    }
    const loc = await kubeletLocation(core, target.nodeName, kubelet.preferredAddressTypes);
    const path = `/containerLogs/${encodeURIComponent(target.namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${params.toString()}`;
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const client = queryBool(query, 'insecureSkipTLSVerifyBackend') ? withoutCA(kubelet) : kubelet;
    const upstream = await kubeletGet(client, loc, path, abort.signal);
    const code = upstream.statusCode ?? 500;
    if (code < 200 || code > 206) throw backendError(code, await readLimited(upstream, 64 * 1024), name);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    // flushHeaders: `kubectl logs -f` should see the answer start even before the first line.
    res.flushHeaders();
    upstream.on('error', () => res.destroy());
    upstream.pipe(res);
    await new Promise<void>((resolve) => res.on('close', resolve));
  };
}
