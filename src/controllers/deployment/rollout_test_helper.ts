import type { KubeObject } from '../../api/types.js';
import { num } from '../../api/object.js';
import { R } from '../../client/client.js';
import type { Harness } from '../replicaset/harness_test_helper.js';
import { setPodStatus } from '../replicaset/harness_test_helper.js';

/** deployment builds a Deployment manifest selecting app=<name>. */
export function deployment(name: string, replicas: number, image: string, extraSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extraSpec,
    },
  };
}

/** markPodsReady makes every live pod Running and Ready, as a kubelet would; returns how many changed. */
export async function markPodsReady(h: Harness): Promise<number> {
  let n = 0;
  for (const pod of await h.list(R.pods)) {
    if (pod.metadata.deletionTimestamp) continue;
    const ready = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (ready) continue;
    try {
      await setPodStatus(h.client, pod, 'Running', true, h.clock.now());
      n++;
    } catch {
      // Deleted meanwhile.
    }
  }
  return n;
}

/** statusLine summarises a Deployment's status as replicas/updated/ready/available/unavailable. */
export async function statusLine(h: Harness, name: string): Promise<string> {
  const d = await h.client.resource(R.deployments).get('default', name);
  return ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'].map((k) => num(d, 'status', k) ?? 0).join('/');
}

/** replicaSetsOf lists the ReplicaSets of a Deployment, oldest revision first. */
export async function replicaSetsOf(h: Harness, name: string): Promise<KubeObject[]> {
  const rev = (rs: KubeObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return (await h.list(R.replicasets)).filter((rs) => rs.metadata.name?.startsWith(`${name}-`)).sort((a, b) => rev(a) - rev(b));
}

/** conditionOf returns a Deployment condition's status and reason as "Status/Reason". */
export async function conditionOf(h: Harness, name: string, type: string): Promise<string> {
  const d = await h.client.resource(R.deployments).get('default', name);
  const c = ((d.status as { conditions?: { type: string; status: string; reason: string }[] } | undefined)?.conditions ?? []).find((x) => x.type === type);
  return c ? `${c.status}/${c.reason}` : '';
}
