import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import type { Client } from '../../client/client.js';
import { R } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import { rfc3339 } from './conditions.js';

/** NODE_NAME_INDEX indexes pods by spec.nodeName. */
export const NODE_NAME_INDEX = 'spec.nodeName';

/** byNodeName is the NODE_NAME_INDEX index function. */
export const byNodeName = (pod: KubeObject): string[] => {
  const n = str(pod, 'spec', 'nodeName');
  return n ? [n] : [];
};

/**
 * markPodsNotReady sets the Ready condition of every given pod on `nodeName` to False (status
 * update), as upstream's MarkPodsNotReady does when a node stops being ready, so the pods leave
 * Service endpoints. Pods already not ready are skipped; every failure is collected and rethrown.
 */
export async function markPodsNotReady(client: Client, recorder: EventRecorder, pods: KubeObject[], nodeName: string, now: number): Promise<void> {
  const failures: string[] = [];
  for (const pod of pods) {
    if (str(pod, 'spec', 'nodeName') !== nodeName) continue;
    const conditions = arr(pod, 'status', 'conditions').filter(isObject);
    const ready = conditions.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'False') continue;
    const copy = structuredClone(pod);
    const status = { ...((copy.status as object | undefined) ?? {}) } as Record<string, unknown>;
    status.conditions = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
    copy.status = status;
    try {
      await client.resource(R.pods).updateStatus(copy);
      recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    } catch (e) {
      if ((e as { code?: number }).code !== 404) failures.push(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}: ${(e as Error).message}`);
    }
  }
  if (failures.length) throw new Error(`marking pods not ready on node ${nodeName}: ${failures.join('; ')}`);
}
