import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { AttachRequest, ExecRequest } from '../cri/types.js';

/**
 * StreamingRuntime is what the kubelet API needs from a container runtime: CRI's streaming calls
 * (each answers the runtime's streaming-server URL for one session, which the kubelet then proxies
 * the client's upgrade request to) and where a container's CRI log file is. The containerd runtime
 * implements it; the fake runtime does not.
 */
export interface StreamingRuntime {
  /** exec asks the runtime for an exec session in a running container (CRI Exec). */
  exec(req: ExecRequest): Promise<string>;
  /** attach asks for a session attached to a running container's main process (CRI Attach). */
  attach(req: AttachRequest): Promise<string>;
  /** portForward asks for a port-forward session into the pod's sandbox (CRI PortForward); the runtime finds the sandbox by pod uid. */
  portForward(pod: KubeObject, ports: number[]): Promise<string>;
  /** logPath is the CRI log file of a pod's container at a restart count (see criLogPath). */
  logPath(pod: KubeObject, container: string, restartCount: number): string;
}

/** PodSource looks up a pod the API server says runs on this node; undefined when there is none. */
export type PodSource = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/** KubeletTLS is the kubelet API's serving certificate and the CA bundle client certificates must chain to. */
export interface KubeletTLS {
  certPem: string;
  keyPem: string;
  clientCaPem: string;
}

/**
 * criLogPath is the kubelet's log layout: `<podLogsDir>/<namespace>_<name>_<uid>/<container>/<restartCount>.log`
 * (the sandbox's CRI logDirectory is the folder, the container's CRI logPath `<container>/<restartCount>.log`).
 */
export function criLogPath(podLogsDir: string, pod: KubeObject, container: string, restartCount: number): string {
  const m = pod.metadata;
  return join(podLogsDir, `${m.namespace ?? ''}_${m.name ?? ''}_${m.uid ?? ''}`, container, `${restartCount}.log`);
}
