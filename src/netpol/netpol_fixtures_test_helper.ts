// Objects for the netpol unit tests.
import type { KubeObject } from '../api/types.js';

/** pod is a running pod with an address on a node, labels and optional named container ports. */
export function pod(namespace: string, name: string, node: string, ip: string, labels: Record<string, string> = {}, ports: { name: string; containerPort: number; protocol?: string }[] = []): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, labels },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'x', ports }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  } as unknown as KubeObject;
}

/** namespace is a Namespace with its name label and extra labels. */
export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } } as KubeObject;
}

/** policy is a NetworkPolicy with the given spec (defaults as the API server fills them are up to the test). */
export function policy(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec } as unknown as KubeObject;
}
