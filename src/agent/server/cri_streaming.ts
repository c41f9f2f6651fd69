import type { KubeObject } from '../../api/types.js';
import type { CriClient } from '../cri/types.js';
import { KubeletError } from './container_status.js';
import { criLogPath, type StreamingRuntime } from './types.js';

/** POD_UID_LABEL is the sandbox label carrying the pod uid (set by the kubelet on every sandbox). */
const POD_UID_LABEL = 'io.kubernetes.pod.uid';

/**
 * criStreaming adapts a CRI client to StreamingRuntime: exec and attach go straight to CRI,
 * port-forward finds the pod's ready sandbox by its `io.kubernetes.pod.uid` label, and logs live
 * under podLogsDir in the kubelet layout (criLogPath) that sandboxes and containers are created with.
 */
export function criStreaming(cri: CriClient, podLogsDir: string): StreamingRuntime {
  return {
    exec: (req) => cri.exec(req),
    attach: (req) => cri.attach(req),
    async portForward(pod: KubeObject, ports: number[]): Promise<string> {
      const uid = pod.metadata.uid ?? '';
      const sandboxes = await cri.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [POD_UID_LABEL]: uid } });
      const sandbox = sandboxes.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
      if (!sandbox) throw new KubeletError(404, `pod sandbox of "${pod.metadata.name ?? ''}" not found`);
      return cri.portForward(sandbox.id, ports);
    },
    logPath: (pod, container, restartCount) => criLogPath(podLogsDir, pod, container, restartCount),
  };
}
