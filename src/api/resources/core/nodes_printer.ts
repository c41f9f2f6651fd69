/** The Node Table row as kube-apiserver's node printer computes it. */
import { arr, field, str } from '../../object.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';

/** nodeStatusCell renders STATUS: Ready/NotReady from the Ready condition (Unknown without one), plus ",SchedulingDisabled" when cordoned. */
export function nodeStatusCell(node: KubeObject): string {
  const ready = arr(node, 'status', 'conditions').find((c) => isObject(c) && c['type'] === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : field(ready, 'status') === 'True' ? 'Ready' : 'NotReady'];
  if (field(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** nodeRoles lists roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted and unique. */
export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function address(node: KubeObject, type: string): string {
  const a = arr(node, 'status', 'addresses').find((x) => isObject(x) && x['type'] === type);
  return str(a, 'address') ?? '<none>';
}

/** nodeRow returns NAME, STATUS, ROLES, AGE, VERSION, INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME. */
export function nodeRow(node: KubeObject, now: number): unknown[] {
  const info = (k: string): string => str(node, 'status', 'nodeInfo', k) ?? '';
  const roles = nodeRoles(node);
  return [
    node.metadata.name ?? '',
    nodeStatusCell(node),
    roles.length ? roles.join(',') : '<none>',
    age(node.metadata.creationTimestamp, now),
    info('kubeletVersion'),
    address(node, 'InternalIP'),
    address(node, 'ExternalIP'),
    info('osImage') || '<unknown>',
    info('kernelVersion') || '<unknown>',
    info('containerRuntimeVersion') || '<unknown>',
  ];
}
