// The kubelet API of a node (logs, exec, attach, port-forward); see README.md.
import type { KubeObject } from '../../api/types.js';
import { str } from '../../api/object.js';
import { R, type Client } from '../../client/client.js';
import type { PodSource } from './types.js';

export { KubeletServer, DEFAULT_KUBELET_PORT, type KubeletServerOptions } from './server.js';
export { criStreaming } from './cri_streaming.js';
export { FleetKubeletServer, type FleetKubeletNode, type FleetKubeletServerOptions } from './fleet_server.js';
export { KubeletMetrics, containerState, type RunningPodSource } from './metrics.js';
export { selfSignedKubeletCert } from './tls.js';
export { criLogPath, type KubeletTLS, type PodSource, type StreamingRuntime } from './types.js';

/** apiPodSource reads pods from the API server, answering only for pods bound to nodeName (others are not this kubelet's). */
export function apiPodSource(client: Client, nodeName: string): PodSource {
  const pods = client.resource(R.pods);
  return async (namespace, name) => {
    let pod: KubeObject;
    try {
      pod = await pods.get(namespace, name);
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
    return str(pod, 'spec', 'nodeName') === nodeName ? pod : undefined;
  };
}
