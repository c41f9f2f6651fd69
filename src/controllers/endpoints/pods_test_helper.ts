import type { Client } from '../../client/client.js';
import { R } from '../../client/client.js';
import type { KubeObject } from '../../api/types.js';

/** TestPod describes a pod for endpoint tests. */
export interface TestPod {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  ip?: string;
  ready?: boolean;
  nodeName?: string;
  ports?: { name: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
}

/** createPod creates a pod and sets its status (Running, IP, Ready condition) like a kubelet would (tests only). */
export async function createPod(client: Client, p: TestPod): Promise<KubeObject> {
  const ns = p.namespace ?? 'default';
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'nginx', ports: p.ports ?? [] }] };
  if (p.nodeName) spec.nodeName = p.nodeName;
  if (p.hostname) spec.hostname = p.hostname;
  if (p.subdomain) spec.subdomain = p.subdomain;
  const created = await client.resource(R.pods).create(ns, { metadata: { name: p.name, namespace: ns, labels: p.labels ?? {} }, spec });
  return setPodStatus(client, created, p.ip, p.ready ?? true);
}

/** setPodStatus writes phase Running, the pod IP and the Ready condition. */
export async function setPodStatus(client: Client, pod: KubeObject, ip: string | undefined, ready: boolean): Promise<KubeObject> {
  const status: Record<string, unknown> = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  if (ip) {
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }
  return client.resource(R.pods).updateStatus({ ...pod, status });
}
