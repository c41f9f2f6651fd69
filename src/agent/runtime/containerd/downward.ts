import type { KubeObject } from '../../../api/types.js';
import { field, str } from '../../../api/object.js';
import { parseQuantity } from '../../../api/resources/core/quantity.js';

/** NodeAllocatable is what an unset resource limit means for the downward API (cores, bytes). */
export interface NodeAllocatable {
  cpu: number;
  memory: number;
  ephemeralStorage?: number;
}

/** formatMap renders labels or annotations as a downward API file does: sorted `key="value"` lines. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`)
    .join('\n');
}

/**
 * downwardField resolves a fieldRef path (metadata.name/namespace/uid, metadata.labels['k'],
 * metadata.annotations['k'], whole metadata.labels/annotations, spec.nodeName,
 * spec.serviceAccountName, status.podIP(s), status.hostIP(s)); undefined for unknown paths.
 */
export function downwardField(pod: KubeObject, path: string, podIP: string, hostIP: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2] ?? ''] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return str(pod, 'spec', 'nodeName') ?? '';
    case 'spec.serviceAccountName':
      return str(pod, 'spec', 'serviceAccountName') ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      return undefined;
  }
}

function quantityAt(container: unknown, ...path: string[]): number | undefined {
  const v = field(container, ...path);
  return typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
}

/**
 * resourceFieldValue resolves a resourceFieldRef (limits.cpu, requests.memory, …) for a container:
 * ceil(value / divisor) as an integer string; an unset limit is the node's allocatable amount.
 */
export function resourceFieldValue(container: unknown, ref: unknown, allocatable: NodeAllocatable): string | undefined {
  const resource = str(ref, 'resource') ?? '';
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) return undefined;
  const divisorRaw = field(ref, 'divisor');
  const divisor = (typeof divisorRaw === 'string' || typeof divisorRaw === 'number' ? parseQuantity(divisorRaw) : undefined) || 1;
  let value = quantityAt(container, 'resources', kind, name);
  if (value === undefined && kind === 'limits') {
    value = name === 'cpu' ? allocatable.cpu : name === 'memory' ? allocatable.memory : name === 'ephemeral-storage' ? allocatable.ephemeralStorage : undefined;
  }
  // Compare in milli-units for cpu so 500m / 1m is exactly 500.
  const scale = name === 'cpu' ? 1000 : 1;
  return String(Math.ceil(Math.round((value ?? 0) * scale) / Math.round(divisor * scale)));
}
