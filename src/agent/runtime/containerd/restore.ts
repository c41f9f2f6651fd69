import type { KubeObject } from '../../../api/types.js';
import { arr, field, str } from '../../../api/object.js';
import type { Container } from '../../cri/types.js';
import { startProbes } from './container_probes.js';
import { CONTAINER_ID_PREFIX, LABEL_CONTAINER_NAME } from './names.js';
import type { PodWorker } from './pod_worker.js';

/** readyInAPI tells whether the API last saw this container instance (by id) as ready. */
function readyInAPI(pod: KubeObject, name: string, id: string): boolean | undefined {
  const cs = arr(pod, 'status', 'containerStatuses').find((s) => str(s, 'name') === name);
  if (!cs || str(cs, 'containerID') !== CONTAINER_ID_PREFIX + id) return undefined;
  return field(cs, 'ready') === true;
}

/**
 * adoptContainers rebuilds a worker's records from the containers CRI holds in its sandbox after
 * an agent restart, without restarting anything: the newest instance of each container (highest
 * attempt) is current, the one before is previous, the restart count is the attempt. Running
 * instances are considered started and keep the readiness the API last saw until probes say otherwise.
 */
export async function adoptContainers(w: PodWorker): Promise<void> {
  const cri = w.deps.cri;
  if (!w.sandboxId) return;
  const byName = new Map<string, Container[]>();
  for (const c of await cri.listContainers({ podSandboxId: w.sandboxId })) {
    const name = c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name;
    byName.set(name, [...(byName.get(name) ?? []), c]);
  }
  const specs = [...arr(w.pod, 'spec', 'initContainers'), ...arr(w.pod, 'spec', 'containers')];
  for (const spec of specs) {
    const name = str(spec, 'name') ?? '';
    const rec = w.records.get(name);
    const list = (byName.get(name) ?? []).sort((a, b) => (b.metadata.attempt ?? 0) - (a.metadata.attempt ?? 0) || Number(b.createdAt - a.createdAt));
    const [newest, before] = list;
    if (!rec || !newest) continue;
    rec.current = await cri.containerStatus(newest.id);
    rec.previous = before ? await cri.containerStatus(before.id).catch(() => undefined) : undefined;
    rec.restartCount = newest.metadata.attempt ?? 0;
    if (rec.current.state !== 'CONTAINER_RUNNING') continue;
    const ready = readyInAPI(w.pod, name, newest.id);
    startProbes(w, spec, rec, ready === undefined ? { assumeStarted: true } : { assumeStarted: true, initialReady: ready });
  }
}
