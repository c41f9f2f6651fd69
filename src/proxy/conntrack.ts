import type { ServicePort } from './ruleset.js';

/**
 * udpConntrackFlushes lists the `conntrack -D` argument lists that clear stale UDP flows after the
 * proxy moved from `before` to `after` (kube-proxy does the same): UDP has no connection to break,
 * so without this a client keeps sending to an endpoint that is gone (its flow still carries the
 * old DNAT) or, for a Service that had no endpoints, to the rejected flow. TCP needs nothing: a
 * stale TCP flow is reset and the client reconnects.
 */
export function udpConntrackFlushes(before: ServicePort[], after: ServicePort[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  const add = (args: string[]): void => {
    const key = args.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(['-D', '-p', 'udp', ...args]);
  };
  const old = new Map(before.filter((p) => p.proto === 'udp').map((p) => [p.id, p]));
  const now = new Map(after.filter((p) => p.proto === 'udp').map((p) => [p.id, p]));
  const ips = (sp: ServicePort): string[] => [...sp.frontends, ...sp.nodeFrontends];
  const endpoints = (sp: ServicePort): Set<string> => new Set([...sp.cluster, ...sp.external].map((e) => e.ip));
  const flushAll = (sp: ServicePort): void => {
    for (const ip of ips(sp)) add(['--orig-dst', ip, '--orig-port-dst', String(sp.port)]);
    if (sp.nodePort > 0) add(['--orig-port-dst', String(sp.nodePort)]);
  };
  for (const [id, prev] of old) {
    const next = now.get(id);
    if (!next) {
      flushAll(prev); // the Service port is gone: its flows would keep their DNAT
      continue;
    }
    const kept = endpoints(next);
    for (const ep of endpoints(prev)) {
      if (kept.has(ep)) continue;
      for (const ip of ips(prev)) add(['--orig-dst', ip, '--orig-port-dst', String(prev.port), '--reply-src', ep]);
      if (prev.nodePort > 0) add(['--orig-port-dst', String(prev.nodePort), '--reply-src', ep]);
    }
  }
  for (const [id, next] of now) {
    const prev = old.get(id);
    // From no endpoint to some: flows that were rejected must make way for DNATed ones.
    if (endpoints(next).size > 0 && (!prev || endpoints(prev).size === 0)) flushAll(next);
  }
  return out;
}
