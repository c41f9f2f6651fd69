import { errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import type { ApiCore } from '../core.js';
import type { Scope } from '../scope.js';

/** containerNames lists a pod's containers in kube-apiserver's visiting order: init, regular, ephemeral. */
export function containerNames(pod: KubeObject): string[] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((list) => arr(pod, 'spec', list).map((c) => str(c, 'name') ?? ''));
}

/**
 * validateContainer picks the container a request means (kube-apiserver's validateContainer):
 * the named one if the pod has it, else the only regular container; 400 otherwise.
 */
export function validateContainer(pod: KubeObject, container: string): string {
  const podName = pod.metadata.name ?? '';
  if (container) {
    if (!containerNames(pod).includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${podName}`);
    return container;
  }
  const regular = arr(pod, 'spec', 'containers');
  if (regular.length === 1) return str(regular[0], 'name') ?? '';
  if (regular.length === 0) throw errors.badRequest(`a container name must be specified for pod ${podName}`);
  throw errors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${containerNames(pod).join(' ')}]`);
}

/** PodTarget is the pod a node subresource reaches and the node that runs it ('' when unbound). */
export interface PodTarget {
  pod: KubeObject;
  namespace: string;
  name: string;
  nodeName: string;
}

/** podTarget reads the pod of a request (404 when missing) and the node it is bound to. */
export async function podTarget(core: ApiCore, scope: Scope, name: string): Promise<PodTarget> {
  const pod = await core.get({ ...scope, subresource: '' }, name);
  return { pod, namespace: scope.namespace, name, nodeName: str(pod, 'spec', 'nodeName') ?? '' };
}
