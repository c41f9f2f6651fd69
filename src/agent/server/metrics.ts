import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { KubeObject } from '../../api/types.js';

/** RunningPodSource lists the pods bound to this node, as the agent last saw and reported them. */
export type RunningPodSource = () => KubeObject[];

interface ContainerStatus {
  containerID?: string;
  state?: { running?: unknown; terminated?: unknown; waiting?: unknown };
}

/**
 * containerState is the kubelet's container_state label for a container status: running,
 * exited, or created (waiting, but the runtime has made it); undefined for one not made yet.
 */
export function containerState(s: ContainerStatus): 'running' | 'exited' | 'created' | undefined {
  if (s.state?.running) return 'running';
  if (s.state?.terminated) return 'exited';
  return s.containerID ? 'created' : undefined;
}

/**
 * KubeletMetrics serves the kubelet's /metrics: process and Node.js metrics, kubelet_running_pods
 * and kubelet_running_containers{container_state}, counted at scrape time from the pod statuses
 * the agent reports (a pod runs once a container of it runs or has run: its sandbox is up).
 */
export class KubeletMetrics {
  readonly registry = new Registry();

  constructor(pods: RunningPodSource, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    new Gauge({
      name: 'kubelet_running_pods',
      help: 'Number of pods that have a running pod sandbox',
      registers,
      collect() {
        this.set(pods().filter((p) => statuses(p).some((s) => containerState(s) !== undefined) && phase(p) !== 'Succeeded' && phase(p) !== 'Failed').length);
      },
    });
    new Gauge({
      name: 'kubelet_running_containers',
      help: 'Number of containers currently running',
      labelNames: ['container_state'],
      registers,
      collect() {
        const counts = { running: 0, exited: 0, created: 0 };
        for (const p of pods()) {
          for (const s of statuses(p)) {
            const state = containerState(s);
            if (state) counts[state]++;
          }
        }
        for (const [state, n] of Object.entries(counts)) this.set({ container_state: state }, n);
      },
    });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** serve answers GET /metrics in the Prometheus text format. */
  async serve(res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

function phase(p: KubeObject): string {
  return String((p as { status?: { phase?: string } }).status?.phase ?? '');
}

function statuses(p: KubeObject): ContainerStatus[] {
  const status = (p as { status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } }).status;
  return [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
}
