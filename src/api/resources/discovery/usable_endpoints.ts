import type { KubeObject } from '../../types.js';
import { arr, field, num, str } from '../../object.js';

/** Endpoint is one address and port that serves a Service port; local when on the asking node. */
export interface Endpoint {
  ip: string;
  port: number;
  local: boolean;
}

const ipv4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/**
 * usableEndpoints picks the endpoints of one Service port from its EndpointSlices: ready ones, or
 * serving-and-terminating ones when none is ready (as kube-proxy does).
 */
export function usableEndpoints(slices: KubeObject[], portName: string, proto: string, nodeName: string): Endpoint[] {
  const ready: Endpoint[] = [];
  const terminating: Endpoint[] = [];
  for (const s of slices) {
    if (str(s, 'addressType') !== 'IPv4') continue;
    const p = arr(s, 'ports').find((x) => (str(x, 'name') ?? '') === portName && (str(x, 'protocol') ?? 'TCP') === proto);
    const port = num(p, 'port');
    if (port === undefined) continue;
    for (const e of arr(s, 'endpoints')) {
      const ip = arr(e, 'addresses').find((a): a is string => typeof a === 'string' && ipv4.test(a));
      if (!ip) continue;
      const ep = { ip, port, local: str(e, 'nodeName') === nodeName };
      const isReady = field(e, 'conditions', 'ready') !== false;
      if (isReady) ready.push(ep);
      else if (field(e, 'conditions', 'serving') === true && field(e, 'conditions', 'terminating') === true) terminating.push(ep);
    }
  }
  const out = ready.length ? ready : terminating;
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(`${e.ip}:${e.port}`) && seen.add(`${e.ip}:${e.port}`)).sort((a, b) => `${a.ip}:${a.port}`.localeCompare(`${b.ip}:${b.port}`));
}
