import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { arr, field, num, objAt, str } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/labels/selector.js';

/** Helpers shared by the Endpoints and EndpointSlice controllers: which pods back a Service, and on which ports. */

/** HEADLESS_LABEL marks Endpoints and EndpointSlices of headless Services (clusterIP None). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** ServicePort is one entry of a Service's spec.ports, defaulted. */
export interface ServicePort {
  name: string;
  protocol: string;
  port: number;
  targetPort: number | string;
  appProtocol?: string;
}

/** serviceSelector returns the Service's selector map, or undefined when it has none (user-managed endpoints). */
export function serviceSelector(svc: KubeObject): Record<string, string> | undefined {
  const sel = objAt(svc, 'spec', 'selector');
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, String(v)]));
}

/** isHeadless tells whether a Service has clusterIP None. */
export function isHeadless(svc: KubeObject): boolean {
  return str(svc, 'spec', 'clusterIP') === 'None';
}

/** servicePorts returns the Service's ports with protocol and targetPort defaulted. */
export function servicePorts(svc: KubeObject): ServicePort[] {
  return arr(svc, 'spec', 'ports').filter(isObject).map((p) => {
    const port = num(p, 'port') ?? 0;
    const tp = p.targetPort;
    const targetPort = typeof tp === 'string' && tp !== '' ? (/^\d+$/.test(tp) ? Number(tp) : tp) : typeof tp === 'number' && tp > 0 ? tp : port;
    const out: ServicePort = { name: str(p, 'name') ?? '', protocol: str(p, 'protocol') ?? 'TCP', port, targetPort };
    const app = str(p, 'appProtocol');
    if (app) out.appProtocol = app;
    return out;
  });
}

/** selectsPod tells whether a Service with a selector selects a pod in its namespace. */
export function selectsPod(svc: KubeObject, pod: KubeObject): boolean {
  const sel = serviceSelector(svc);
  if (!sel || svc.metadata.namespace !== pod.metadata.namespace) return false;
  return labelSelectorFromObject({ matchLabels: sel }).matches(pod.metadata.labels);
}

/** podIP returns the pod's primary IP, or undefined before it has one. */
export function podIP(pod: KubeObject): string | undefined {
  return str(pod, 'status', 'podIP') || undefined;
}

/** isPodReady tells whether the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return arr(pod, 'status', 'conditions').some((c) => field(c, 'type') === 'Ready' && field(c, 'status') === 'True');
}

/** isPodTerminal tells whether a pod has finished for good (phase Succeeded or Failed). */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = str(pod, 'status', 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * resolveTargetPort returns the pod port a Service port reaches: a number as is, a name looked up
 * among the pod's container ports (same protocol); undefined when the pod has no such named port.
 */
export function resolveTargetPort(sp: ServicePort, pod: KubeObject): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  for (const c of arr(pod, 'spec', 'containers')) {
    for (const p of arr(c, 'ports')) {
      if (str(p, 'name') === sp.targetPort && (str(p, 'protocol') ?? 'TCP') === sp.protocol) return num(p, 'containerPort');
    }
  }
  return undefined;
}

/** podHostname returns the DNS hostname a headless Service publishes for the pod (spec.hostname when spec.subdomain is the Service). */
export function podHostname(pod: KubeObject, svc: KubeObject): string | undefined {
  const hostname = str(pod, 'spec', 'hostname');
  return hostname && str(pod, 'spec', 'subdomain') === svc.metadata.name ? hostname : undefined;
}

/** podReference is the targetRef of an address backed by a pod. */
export function podReference(pod: KubeObject): Record<string, string> {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}

/** serviceLabels returns the labels endpoint objects of a Service carry: the Service's own plus the headless marker. */
export function serviceLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  delete labels[HEADLESS_LABEL];
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return labels;
}
