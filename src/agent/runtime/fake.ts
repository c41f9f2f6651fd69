import { randomBytes } from 'node:crypto';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { arr, objAt, str } from '../../api/object.js';
import type { Clock } from '../../lib/clock.js';
import { rfc3339 } from '../time.js';
import { Backoff } from './containerd/backoff.js';
import { envError, volumeError, type FakeLookups } from './fake_checks.js';
import { imageID, imageInSimulatedRegistry, normalizeImage, pullErrorMessage } from './fake_images.js';
import { PodIPAllocator } from './ipam.js';
import type { ContainerUsage, CpuUsage, MemoryUsage, PodUsage, RuntimeStats } from '../stats/types.js';
import { SimulatedContainer } from './fake_stats.js';
import type { Runtime, RuntimePodStatus } from './runtime.js';

/** FAKE_EXIT_CODE_ANNOTATION makes a fake pod's containers exit with this code right after they start. */
export const FAKE_EXIT_CODE_ANNOTATION = 'skiff.io/fake-exit-code';

/** FakeRuntimeOptions configure a FakeRuntime. */
export interface FakeRuntimeOptions {
  clock: Clock;
  /** stopDelayMs caps how long a stop takes: min(grace period, this); default 1000. */
  stopDelayMs?: number;
  /** lookups turn on the ConfigMap / Secret / PVC checks; without them every reference is taken to exist. */
  lookups?: FakeLookups;
  /** imageExists is the node's simulated registry (default imageInSimulatedRegistry: only `invalid` hosts lack images). */
  imageExists?: (image: string) => boolean;
  /** recheckMs is how often a pod with a waiting container is checked again (default 1000). */
  recheckMs?: number;
}

/** Waiting is why a container has not started (CreateContainerConfigError, ErrImagePull, ImagePullBackOff, …). */
interface Waiting {
  reason: string;
  message: string;
}

interface FakePod {
  ip: string;
  startedAt: string;
  /** containerIDs by container name (init containers included). */
  ids: Map<string, string>;
  exitCode: number | undefined;
  /** started: containers (init containers included) that have started, with their start time. */
  started: Map<string, string>;
  /** waiting: containers held back by a failed check; the rest of the pod waits behind a held init container. */
  waiting: Map<string, Waiting>;
  cancelRecheck?: (() => void) | undefined;
  /** ref names the pod in stats. */
  ref: { namespace: string; name: string; uid: string };
  /** sim: the usage model of each running regular container; emptied once the pod's containers exit. */
  sim: Map<string, SimulatedContainer>;
  retired: boolean;
  /** startMs is startedAt as ms, parsed once for stats. */
  startMs?: number;
}

/** Simulated node overhead (system daemons) added to the pods' usage in node totals. */
const NODE_BASE_NANOCORES = 100e6;
const NODE_BASE_MEMORY_BYTES = 256 * 2 ** 20;

/** normalizeImage is re-exported for the runtime's users; it lives with the simulated registry. */
export { normalizeImage } from './fake_images.js';

function containersOf(pod: KubeObject, kind: 'initContainers' | 'containers' | 'ephemeralContainers'): { name: string; image: string }[] {
  return arr(pod, 'spec', kind).map((c) => ({ name: str(c, 'name') ?? '', image: str(c, 'image') ?? '' }));
}

/**
 * FakeRuntime runs no containers: pods "run" as soon as they start, get an IP from the node's pod
 * CIDR and report running, ready containers (`fake://<id>`). A pod annotated
 * `skiff.io/fake-exit-code: "N"` reports its containers exited with N once it has started (so Jobs
 * complete). State lives in memory; after a restart restorePod believes the API.
 * Before a container starts it is checked as a node would (fake_checks.ts): volumes, image, env
 * sources; a failed check leaves it waiting (CreateContainerConfigError with the kubelet's message,
 * ErrImagePull then ImagePullBackOff with the kubelet's back-off) and it is checked again later.
 */
export class FakeRuntime implements Runtime {
  private readonly pods = new Map<string, FakePod>();
  private ipam: PodIPAllocator | undefined;
  private readonly pullBackoff: Backoff;
  private onChange: ((pod: { namespace: string; name: string }) => void) | undefined;
  private readonly startMs: number;
  /** retiredCpuNs is the CPU of pods whose containers ended, kept in the node's cumulative total. */
  private retiredCpuNs = 0;

  constructor(private readonly opts: FakeRuntimeOptions) {
    this.pullBackoff = new Backoff(opts.clock);
    this.startMs = opts.clock.now();
  }

  setChangeHandler(fn: (pod: { namespace: string; name: string }) => void): void {
    this.onChange = fn;
  }

  version(): string {
    return 'fake://1.0.0';
  }

  updatePodCIDR(cidr: string): void {
    if (this.ipam?.cidr !== cidr) this.ipam = new PodIPAllocator(cidr);
  }

  async startPod(pod: KubeObject): Promise<RuntimePodStatus> {
    const uid = pod.metadata.uid ?? '';
    const known = this.pods.get(uid);
    if (known) return (await this.podStatus(pod)) ?? this.report(pod, known);
    if (!this.ipam) throw new Error('the node has no pod CIDR yet');
    const ip = usesHostNetwork(pod) ? '' : this.ipam.allocate(uid);
    const ids = new Map<string, string>();
    for (const c of [...containersOf(pod, 'initContainers'), ...containersOf(pod, 'containers')]) ids.set(c.name, randomBytes(32).toString('hex'));
    const p: FakePod = { ip, startedAt: rfc3339(this.opts.clock.now()), ids, exitCode: undefined, started: new Map(), waiting: new Map(), ref: refOf(pod), sim: new Map(), retired: false };
    this.pods.set(uid, p);
    try {
      await this.startContainers(pod, p);
    } catch (e) {
      // A check could not be made (API unreachable): forget the pod so the next sync starts over.
      this.pods.delete(uid);
      if (ip) this.ipam.release(ip);
      throw e;
    }
    this.simulate(pod, p);
    return this.report(pod, p);
  }

  /** startContainers starts, in order, the containers that pass the node's checks; the others wait and are checked again later. */
  private async startContainers(pod: KubeObject, p: FakePod): Promise<void> {
    p.waiting.clear();
    const now = this.opts.clock.now();
    const volume = this.opts.lookups ? await volumeError(pod, this.opts.lookups) : undefined;
    const specs = (kind: 'initContainers' | 'containers'): unknown[] => arr(pod, 'spec', kind);
    for (const [kind, list] of [['initContainers', specs('initContainers')], ['containers', specs('containers')]] as const) {
      for (const c of list) {
        const name = str(c, 'name') ?? '';
        if (p.started.has(name)) continue;
        const waiting = volume ? { reason: 'CreateContainerConfigError', message: volume } : await this.check(pod, c);
        if (waiting) p.waiting.set(name, waiting);
        else p.started.set(name, rfc3339(now));
        // Init containers run one after the other: a held one holds the rest of the pod.
        if (waiting && kind === 'initContainers') break;
      }
      if (p.waiting.size > 0) break;
    }
    if (p.waiting.size === 0 || p.cancelRecheck) return;
    p.cancelRecheck = this.opts.clock.setTimeout(() => {
      p.cancelRecheck = undefined;
      this.onChange?.({ namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' });
    }, this.opts.recheckMs ?? 1000);
  }

  /** check is the kubelet's EnsureImageExists then generateContainerConfig for one container. */
  private async check(pod: KubeObject, container: unknown): Promise<Waiting | undefined> {
    const image = str(container, 'image') ?? '';
    if (!(this.opts.imageExists ?? imageInSimulatedRegistry)(image)) {
      if (str(container, 'imagePullPolicy') === 'Never') return { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` };
      const key = `${pod.metadata.uid ?? ''}_${image}`;
      const now = this.opts.clock.now();
      if (this.pullBackoff.isInBackOffSinceUpdate(key, now)) return { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      this.pullBackoff.next(key, now);
      return { reason: 'ErrImagePull', message: pullErrorMessage(image) };
    }
    const env = this.opts.lookups ? await envError(pod, container, this.opts.lookups) : undefined;
    return env ? { reason: 'CreateContainerConfigError', message: env } : undefined;
  }

  async stopPod(pod: KubeObject, gracePeriodSeconds: number): Promise<RuntimePodStatus | undefined> {
    const uid = pod.metadata.uid ?? '';
    const p = this.pods.get(uid);
    if (!p) return undefined;
    const delay = Math.min(Math.max(0, gracePeriodSeconds) * 1000, this.opts.stopDelayMs ?? 1000);
    if (delay > 0) await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, delay));
    if (!this.pods.has(uid)) return undefined;
    this.pods.delete(uid);
    p.cancelRecheck?.();
    this.pullBackoff.resetPrefix(`${uid}_`);
    if (p.ip) this.ipam?.release(p.ip);
    this.retire(p);
    if (p.exitCode === undefined) p.exitCode = 0;
    return this.report(pod, p, rfc3339(this.opts.clock.now()));
  }

  async podStatus(pod: KubeObject): Promise<RuntimePodStatus | undefined> {
    const p = this.pods.get(pod.metadata.uid ?? '');
    if (!p) return undefined;
    if (p.waiting.size > 0) await this.startContainers(pod, p);
    if (p.exitCode === undefined) this.startEphemeral(pod, p);
    const exit = pod.metadata.annotations?.[FAKE_EXIT_CODE_ANNOTATION];
    if (p.exitCode === undefined && exit !== undefined && p.waiting.size === 0) p.exitCode = Number.parseInt(exit, 10) || 0;
    if (p.exitCode === undefined) this.simulate(pod, p);
    else this.retire(p);
    return this.report(pod, p, p.exitCode === undefined ? undefined : p.startedAt);
  }

  /** startEphemeral starts the ephemeral containers added to a running pod since; they run once, never restarted. */
  private startEphemeral(pod: KubeObject, p: FakePod): void {
    for (const c of containersOf(pod, 'ephemeralContainers')) {
      if (p.started.has(c.name)) continue;
      p.ids.set(c.name, randomBytes(32).toString('hex'));
      p.started.set(c.name, rfc3339(this.opts.clock.now()));
    }
  }

  restorePod(pod: KubeObject): Promise<RuntimePodStatus | undefined> {
    const uid = pod.metadata.uid ?? '';
    if (this.pods.has(uid)) return this.podStatus(pod);
    const ip = str(pod, 'status', 'podIP') ?? '';
    if (!usesHostNetwork(pod) && !(this.ipam && ip && this.ipam.reserve(ip, uid))) return Promise.resolve(undefined);
    const ids = new Map<string, string>();
    const statuses = [...arr(pod, 'status', 'initContainerStatuses'), ...arr(pod, 'status', 'containerStatuses'), ...arr(pod, 'status', 'ephemeralContainerStatuses')];
    for (const s of statuses) ids.set(str(s, 'name') ?? '', (str(s, 'containerID') ?? '').replace(/^fake:\/\//, '') || randomBytes(32).toString('hex'));
    const running = arr(pod, 'status', 'containerStatuses').map((s) => str(s, 'state', 'running', 'startedAt')).find((t) => t !== undefined);
    const startedAt = running ?? str(pod, 'status', 'startTime') ?? rfc3339(this.opts.clock.now());
    const p: FakePod = { ip: usesHostNetwork(pod) ? '' : ip, startedAt, ids, exitCode: undefined, started: new Map(), waiting: new Map(), ref: refOf(pod), sim: new Map(), retired: false };
    for (const s of statuses) {
      const name = str(s, 'name') ?? '';
      // A container the API reports waiting was held by a check: it is checked again.
      if (objAt(s, 'state', 'waiting')) p.waiting.set(name, { reason: str(s, 'state', 'waiting', 'reason') ?? '', message: str(s, 'state', 'waiting', 'message') ?? '' });
      else p.started.set(name, str(s, 'state', 'running', 'startedAt') ?? str(s, 'state', 'terminated', 'startedAt') ?? startedAt);
    }
    if (statuses.length === 0) for (const name of ids.keys()) p.started.set(name, startedAt);
    this.pods.set(uid, p);
    return this.podStatus(pod);
  }

  /** simulate gives each started regular container a usage model and applies the pod's annotations to it. */
  private simulate(pod: KubeObject, p: FakePod): void {
    if (p.retired) return;
    const now = this.opts.clock.now();
    for (const c of containersOf(pod, 'containers')) {
      const at = p.started.get(c.name);
      if (at === undefined) continue;
      let sim = p.sim.get(c.name);
      if (!sim) p.sim.set(c.name, (sim = new SimulatedContainer(c.name, p.ids.get(c.name) ?? '', normalizeImage(c.image), Date.parse(at) || now)));
      sim.configure(pod, now);
    }
  }

  /** retire ends a pod's usage: its CPU so far stays in the node's total. */
  private retire(p: FakePod): void {
    if (p.retired) return;
    p.retired = true;
    const now = this.opts.clock.now();
    for (const sim of p.sim.values()) this.retiredCpuNs += sim.usage(now).cpu?.usageCoreNanoSeconds ?? 0;
    p.sim.clear();
  }

  /**
   * stats reports simulated usage (fake_stats.ts): each running container per its model, pods as
   * the sum of their containers, the node as those plus a fixed overhead (100m, 256 MiB) and the
   * CPU of pods gone. Pure arithmetic over the pods in memory: cheap for thousands of pods.
   */
  stats(): Promise<RuntimeStats> {
    const now = this.opts.clock.now();
    const pods: PodUsage[] = [];
    let cpuNs = this.retiredCpuNs + (NODE_BASE_NANOCORES * (now - this.startMs)) / 1000;
    let nanoCores = NODE_BASE_NANOCORES;
    let memory = NODE_BASE_MEMORY_BYTES;
    for (const p of this.pods.values()) {
      if (p.sim.size === 0) continue;
      const containers: ContainerUsage[] = [];
      let podNs = 0;
      let podRate = 0;
      let ws = 0;
      for (const sim of p.sim.values()) {
        const c = sim.usage(now);
        containers.push(c);
        podNs += c.cpu?.usageCoreNanoSeconds ?? 0;
        podRate += c.cpu?.usageNanoCores ?? 0;
        ws += c.memory?.workingSetBytes ?? 0;
      }
      const cpu: CpuUsage = { time: now, usageCoreNanoSeconds: podNs, usageNanoCores: podRate };
      const mem: MemoryUsage = { time: now, workingSetBytes: ws, usageBytes: Math.round(ws * 1.1), rssBytes: Math.round(ws * 0.8), pageFaults: 0, majorPageFaults: 0 };
      cpuNs += podNs;
      nanoCores += podRate;
      memory += ws;
      p.startMs ??= Date.parse(p.startedAt) || now;
      pods.push({ namespace: p.ref.namespace, name: p.ref.name, uid: p.ref.uid, startTime: p.startMs, containers, cgroup: `/kubepods/burstable/pod${p.ref.uid}`, cpu, memory: mem });
    }
    const node = { cpu: { time: now, usageCoreNanoSeconds: Math.round(cpuNs), usageNanoCores: Math.round(nanoCores) }, memory: { time: now, workingSetBytes: memory, usageBytes: Math.round(memory * 1.1), rssBytes: Math.round(memory * 0.8) } };
    return Promise.resolve({ node, pods });
  }

  /** report renders a pod's statuses; finishedAt set means its containers have exited with p.exitCode. */
  private report(pod: KubeObject, p: FakePod, finishedAt?: string): RuntimePodStatus {
    const id = (name: string): string => `fake://${p.ids.get(name) ?? ''}`;
    const base = (c: { name: string; image: string }): JsonObject => ({ name: c.name, image: normalizeImage(c.image), imageID: imageID(c.image), containerID: id(c.name), restartCount: 0, lastState: {} });
    // A container that never started reports the spec's image and no IDs, as the kubelet does.
    const waiting = (c: { name: string; image: string }): JsonObject => {
      const w = p.waiting.get(c.name);
      return { name: c.name, image: c.image, imageID: '', restartCount: 0, lastState: {}, state: { waiting: w ? { reason: w.reason, message: w.message } : { reason: 'PodInitializing' } }, ready: false, started: false };
    };
    const initContainerStatuses = containersOf(pod, 'initContainers').map((c) => {
      const at = p.started.get(c.name);
      if (at === undefined) return waiting(c);
      return { ...base(c), state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at, containerID: id(c.name) } }, ready: true, started: false };
    });
    const code = p.exitCode ?? 0;
    const containerStatuses = containersOf(pod, 'containers').map((c) => {
      const at = p.started.get(c.name);
      if (at === undefined) return waiting(c);
      return finishedAt === undefined
        ? { ...base(c), state: { running: { startedAt: at } }, ready: true, started: true }
        : { ...base(c), state: { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: at, finishedAt, containerID: id(c.name) } }, ready: false, started: false };
    });
    // Ephemeral containers are never ready and have no started flag (no probes run for them).
    const ephemeralContainerStatuses = containersOf(pod, 'ephemeralContainers').flatMap((c) => {
      const at = p.started.get(c.name);
      if (at === undefined) return [];
      const state = finishedAt === undefined ? { running: { startedAt: at } } : { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: at, finishedAt, containerID: id(c.name) } };
      return [{ ...base(c), state, ready: false }];
    });
    return { podIP: p.ip, initContainerStatuses, containerStatuses, ...(ephemeralContainerStatuses.length ? { ephemeralContainerStatuses } : {}) };
  }
}

function refOf(pod: KubeObject): { namespace: string; name: string; uid: string } {
  return { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}

/** usesHostNetwork tells whether the pod uses the host's network (then it gets no pod IP of its own). */
function usesHostNetwork(pod: KubeObject): boolean {
  const spec = pod['spec'];
  return typeof spec === 'object' && spec !== null && (spec as { hostNetwork?: unknown }).hostNetwork === true;
}
