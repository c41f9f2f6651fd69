import { arr, str } from '../../../api/object.js';
import { parseQuantity } from '../../../api/resources/core/quantity.js';
import type { Clock } from '../../../lib/clock.js';
import type { CriClient, CriContainerStats, CriCpuUsage, CriMemoryUsage } from '../../cri/types.js';
import { cgroupVersion, readCgroupUsage } from '../../stats/cgroup.js';
import { readHostUsage } from '../../stats/host.js';
import type { ContainerUsage, CpuUsage, MemoryUsage, PodUsage, RuntimeStats } from '../../stats/types.js';
import { nsToMs } from './container_record.js';
import type { PodWorker } from './pod_worker.js';

/** ContainerdStatsDeps is what collecting stats needs from the runtime. */
export interface ContainerdStatsDeps {
  cri: CriClient;
  clock: Clock;
  cgroupRoot: string;
  /** cgroupParent is the node's cgroup parent; pods are `<cgroupParent>/pod<uid>`, containers (cgroupfs) `<pod>/<id>`. */
  cgroupParent: string;
  workers: () => Iterable<PodWorker>;
}

function cpuOf(c: CriCpuUsage | undefined, fallbackMs: number): CpuUsage | undefined {
  if (!c || c.usageCoreNanoSeconds === undefined) return undefined;
  const time = c.timestamp > 0n ? nsToMs(c.timestamp) : fallbackMs;
  // containerd answers 0 nanocores until it has a previous sample of its own: then the collector's
  // rate over its previous collection is used instead.
  return { time, usageCoreNanoSeconds: c.usageCoreNanoSeconds, ...(c.usageNanoCores ? { usageNanoCores: c.usageNanoCores } : {}) };
}

/** memoryOf reads CRI memory; containerd's availableBytes 0 for a container without a limit is left out, as cAdvisor leaves it. */
function memoryOf(m: CriMemoryUsage | undefined, fallbackMs: number, limited: boolean): MemoryUsage | undefined {
  if (!m || m.workingSetBytes === undefined) return undefined;
  const out: MemoryUsage = { time: m.timestamp > 0n ? nsToMs(m.timestamp) : fallbackMs, workingSetBytes: m.workingSetBytes };
  if (m.usageBytes !== undefined) out.usageBytes = m.usageBytes;
  if (m.rssBytes !== undefined) out.rssBytes = m.rssBytes;
  if (m.availableBytes !== undefined && limited) out.availableBytes = m.availableBytes;
  if (m.pageFaults !== undefined) out.pageFaults = m.pageFaults;
  if (m.majorPageFaults !== undefined) out.majorPageFaults = m.majorPageFaults;
  return out;
}

function sum(parts: (CpuUsage | undefined)[]): CpuUsage | undefined;
function sum(parts: (MemoryUsage | undefined)[]): MemoryUsage | undefined;
function sum(parts: (CpuUsage | MemoryUsage | undefined)[]): CpuUsage | MemoryUsage | undefined {
  const got = parts.filter((p): p is CpuUsage | MemoryUsage => p !== undefined);
  if (got.length === 0) return undefined;
  const time = Math.max(...got.map((p) => p.time));
  if ('usageCoreNanoSeconds' in got[0]!) return { time, usageCoreNanoSeconds: (got as CpuUsage[]).reduce((a, p) => a + p.usageCoreNanoSeconds, 0) };
  const mem = got as MemoryUsage[];
  const total = (k: 'usageBytes' | 'rssBytes'): number | undefined => (mem.every((p) => p[k] !== undefined) ? mem.reduce((a, p) => a + (p[k] ?? 0), 0) : undefined);
  const out: MemoryUsage = { time, workingSetBytes: mem.reduce((a, p) => a + p.workingSetBytes, 0) };
  const usage = total('usageBytes');
  const rss = total('rssBytes');
  if (usage !== undefined) out.usageBytes = usage;
  if (rss !== undefined) out.rssBytes = rss;
  return out;
}

/** memoryLimitOf is a container's limits.memory in bytes (0: none). */
function memoryLimitOf(pod: unknown, container: string): number {
  const spec = arr(pod, 'spec', 'containers').find((c) => str(c, 'name') === container);
  const limit = str(spec, 'resources', 'limits', 'memory');
  return limit ? Math.floor(parseQuantity(limit) ?? 0) : 0;
}

/**
 * collectContainerdStats is the kubelet's CRI stats provider for CPU and memory: one
 * ListContainerStats for every container, the running containers of the pods this runtime runs,
 * pod figures from the pod's cgroup (as the kubelet takes them from cAdvisor; the sum of its
 * containers when the cgroup cannot be read), memory fields CRI leaves out (containerd 1.6 sends
 * the working set only) from the container's cgroup, node figures from the machine.
 */
export async function collectContainerdStats(d: ContainerdStatsDeps): Promise<RuntimeStats> {
  const now = d.clock.now();
  const [listed, node, version] = await Promise.all([d.cri.listContainerStats ? d.cri.listContainerStats() : Promise.resolve([] as CriContainerStats[]), readHostUsage(now), cgroupVersion(d.cgroupRoot)]);
  const byId = new Map(listed.map((s) => [s.id, s]));
  const pods: PodUsage[] = [];
  for (const w of d.workers()) {
    if (!w.sandboxId || w.stopping) continue;
    const uid = w.pod.metadata.uid ?? '';
    const podCgroup = `${d.cgroupParent}/pod${uid}`;
    const containers: ContainerUsage[] = [];
    for (const rec of w.records.values()) {
      const cur = rec.current;
      if (rec.init || !cur || cur.state !== 'CONTAINER_RUNNING') continue;
      const s = byId.get(cur.id);
      const c: ContainerUsage = { name: rec.name, startTime: nsToMs(cur.startedAt), id: cur.id, image: cur.image.image, memoryLimitBytes: memoryLimitOf(w.pod, rec.name) };
      let cpu = cpuOf(s?.cpu, now);
      let memory = memoryOf(s?.memory, now, c.memoryLimitBytes > 0);
      if (!cpu || !memory || memory.usageBytes === undefined || memory.rssBytes === undefined) {
        const fromCgroup = await readCgroupUsage(d.cgroupRoot, version, `${podCgroup}/${cur.id}`, now);
        cpu ??= fromCgroup.cpu;
        memory = memory && fromCgroup.memory ? { ...fromCgroup.memory, ...memory } : (memory ?? fromCgroup.memory);
      }
      if (cpu) c.cpu = cpu;
      if (memory) c.memory = memory;
      containers.push(c);
    }
    if (containers.length === 0) continue;
    const fromPodCgroup = await readCgroupUsage(d.cgroupRoot, version, podCgroup, now);
    const started = str(w.pod, 'status', 'startTime');
    const p: PodUsage = { namespace: w.pod.metadata.namespace ?? '', name: w.pod.metadata.name ?? '', uid, startTime: started ? Date.parse(started) : Math.min(...containers.map((c) => c.startTime)), containers, cgroup: podCgroup };
    const cpu = fromPodCgroup.cpu ?? sum(containers.map((c) => c.cpu));
    const memory = fromPodCgroup.memory ?? sum(containers.map((c) => c.memory));
    if (cpu) p.cpu = cpu;
    if (memory) p.memory = memory;
    pods.push(p);
  }
  return { node, pods };
}
