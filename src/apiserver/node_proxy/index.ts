// The API server's side of the kubelet API: pods/log, exec, attach, portforward reach the node
// that runs the pod. Register the handlers as ApiServer's `subresources`.
import type { ApiCore } from '../core.js';
import type { SubresourceHandler } from '../rest_handler.js';
import { podLogHandler } from './logs.js';
import { podStreamHandler } from './streams.js';
import type { KubeletClientOptions } from './kubelet_client.js';

export { DEFAULT_KUBELET_PORT, kubeletLocation, type KubeletClientOptions, type KubeletLocation } from './kubelet_client.js';
export { validateContainer } from './pod_target.js';

/** KUBELET_CLIENT_USER is the common name of the API server's kubelet client certificate (kube-apiserver's). */
export const KUBELET_CLIENT_USER = 'system:kube-apiserver-kubelet-client';

/**
 * nodeProxySubresources returns the handlers for `pods/log`, `pods/exec`, `pods/attach` and
 * `pods/portforward`, keyed as ApiServerOptions.subresources expects. Streaming ones need
 * ApiServer's upgrade listener (it hands them the raw socket).
 */
export function nodeProxySubresources(core: ApiCore, kubelet: KubeletClientOptions): Map<string, SubresourceHandler> {
  return new Map<string, SubresourceHandler>([
    ['pods/log', podLogHandler(core, kubelet)],
    ['pods/exec', podStreamHandler(core, kubelet, 'exec')],
    ['pods/attach', podStreamHandler(core, kubelet, 'attach')],
    ['pods/portforward', podStreamHandler(core, kubelet, 'portforward')],
  ]);
}
