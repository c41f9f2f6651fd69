import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';

/** Labels and annotations the kubelet puts on sandboxes and containers (CRI), so they can be found again. */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
/** LABEL_POD_NAMESPACE is the pod's namespace on sandboxes and containers. */
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
/** LABEL_POD_UID is the pod's uid on sandboxes and containers; restorePod finds the sandbox by it. */
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
/** LABEL_CONTAINER_NAME is the container's name in the pod spec. */
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** LABEL_NODE marks what a skiff node created, as several nodes may share one machine. */
export const LABEL_NODE = 'skiff.io/node';
/** ANNOTATION_RESTART_COUNT keeps a container's restart count on the container itself. */
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';

/** CONTAINER_ID_PREFIX prefixes container IDs in pod status (`containerd://<id>`). */
export const CONTAINER_ID_PREFIX = 'containerd://';

/** PodRef names a pod for the change handler. */
export interface PodRef {
  namespace: string;
  name: string;
}

/** podRefOf returns a pod's namespace and name. */
export function podRefOf(pod: KubeObject): PodRef {
  return { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
}

/** podFullName formats a pod as the kubelet's messages do: `name_namespace(uid)`. */
export function podFullName(pod: KubeObject): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

/** podLogDir is the sandbox log directory: `<podLogsDir>/<ns>_<name>_<uid>`. */
export function podLogDir(podLogsDir: string, pod: KubeObject): string {
  return join(podLogsDir, `${pod.metadata.namespace ?? ''}_${pod.metadata.name ?? ''}_${pod.metadata.uid ?? ''}`);
}

/** containerLogPath is a container's log file relative to the pod log dir: `<container>/<restartCount>.log`. */
export function containerLogPath(name: string, restartCount: number): string {
  return `${name}/${restartCount}.log`;
}

/** podDir is the pod's private folder under the data dir: `<dataDir>/agent/pods/<uid>`. */
export function podDir(dataDir: string, uid: string): string {
  return join(dataDir, 'agent', 'pods', uid);
}

/** volumeDir is where a pod volume lives: `<podDir>/volumes/<plugin>/<name>` (plugin: empty-dir, configmap, …). */
export function volumeDir(dataDir: string, uid: string, plugin: string, name: string): string {
  return join(podDir(dataDir, uid), 'volumes', plugin, name);
}
