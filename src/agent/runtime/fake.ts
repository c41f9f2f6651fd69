import { createHash, randomBytes } from 'node:crypto';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';
import type { Clock } from '../../lib/clock.js';
import { rfc3339 } from '../time.js';
import { PodIPAllocator } from './ipam.js';
import type { Runtime, RuntimePodStatus } from './runtime.js';

/** FAKE_EXIT_CODE_ANNOTATION makes a fake pod's containers exit with this code right after they start. */
export const FAKE_EXIT_CODE_ANNOTATION = 'skiff.io/fake-exit-code';

/** FakeRuntimeOptions configure a FakeRuntime. */
export interface FakeRuntimeOptions {
  clock: Clock;
  /** stopDelayMs caps how long a stop takes: min(grace period, this); default 1000. */
  stopDelayMs?: number;
}

interface FakePod {
  ip: string;
  startedAt: string;
  /** containerIDs by container name (init containers included). */
  ids: Map<string, string>;
  exitCode: number | undefined;
}

/** normalizeImage spells an image reference the way containerd reports it (`nginx` → `docker.io/library/nginx:latest`). */
export function normalizeImage(image: string): string {
  let ref = image;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (slash < 0) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

function imageID(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  return `${repo}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}

function containersOf(pod: KubeObject, kind: 'initContainers' | 'containers'): { name: string; image: string }[] {
  return arr(pod, 'spec', kind).map((c) => ({ name: str(c, 'name') ?? '', image: str(c, 'image') ?? '' }));
}

/**
 * FakeRuntime runs no containers: pods "run" as soon as they start, get an IP from the node's pod
 * CIDR and report running, ready containers (`fake://<id>`). A pod annotated
 * `skiff.io/fake-exit-code: "N"` reports its containers exited with N once it has started (so Jobs
 * complete). State lives in memory; after a restart restorePod believes the API.
 */
export class FakeRuntime implements Runtime {
  private readonly pods = new Map<string, FakePod>();
  private ipam: PodIPAllocator | undefined;

  constructor(private readonly opts: FakeRuntimeOptions) {}

  version(): string {
    return 'fake://1.0.0';
  }

  updatePodCIDR(cidr: string): void {
    if (this.ipam?.cidr !== cidr) this.ipam = new PodIPAllocator(cidr);
  }

  startPod(pod: KubeObject): Promise<RuntimePodStatus> {
    const uid = pod.metadata.uid ?? '';
    let p = this.pods.get(uid);
    if (!p) {
      if (!this.ipam) return Promise.reject(new Error('the node has no pod CIDR yet'));
      const ip = usesHostNetwork(pod) ? '' : this.ipam.allocate(uid);
      const ids = new Map<string, string>();
      for (const c of [...containersOf(pod, 'initContainers'), ...containersOf(pod, 'containers')]) ids.set(c.name, randomBytes(32).toString('hex'));
      p = { ip, startedAt: rfc3339(this.opts.clock.now()), ids, exitCode: undefined };
      this.pods.set(uid, p);
      return Promise.resolve(this.report(pod, p));
    }
    return this.podStatus(pod) as Promise<RuntimePodStatus>;
  }

  async stopPod(pod: KubeObject, gracePeriodSeconds: number): Promise<RuntimePodStatus | undefined> {
    const uid = pod.metadata.uid ?? '';
    const p = this.pods.get(uid);
    if (!p) return undefined;
    const delay = Math.min(Math.max(0, gracePeriodSeconds) * 1000, this.opts.stopDelayMs ?? 1000);
    if (delay > 0) await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, delay));
    if (!this.pods.has(uid)) return undefined;
    this.pods.delete(uid);
    if (p.ip) this.ipam?.release(p.ip);
    if (p.exitCode === undefined) p.exitCode = 0;
    return this.report(pod, p, rfc3339(this.opts.clock.now()));
  }

  podStatus(pod: KubeObject): Promise<RuntimePodStatus | undefined> {
    const p = this.pods.get(pod.metadata.uid ?? '');
    if (!p) return Promise.resolve(undefined);
    const exit = pod.metadata.annotations?.[FAKE_EXIT_CODE_ANNOTATION];
    if (p.exitCode === undefined && exit !== undefined) p.exitCode = Number.parseInt(exit, 10) || 0;
    return Promise.resolve(this.report(pod, p, p.exitCode === undefined ? undefined : p.startedAt));
  }

  restorePod(pod: KubeObject): Promise<RuntimePodStatus | undefined> {
    const uid = pod.metadata.uid ?? '';
    if (this.pods.has(uid)) return this.podStatus(pod);
    const ip = str(pod, 'status', 'podIP') ?? '';
    if (!usesHostNetwork(pod) && !(this.ipam && ip && this.ipam.reserve(ip, uid))) return Promise.resolve(undefined);
    const ids = new Map<string, string>();
    const statuses = [...arr(pod, 'status', 'initContainerStatuses'), ...arr(pod, 'status', 'containerStatuses')];
    for (const s of statuses) ids.set(str(s, 'name') ?? '', (str(s, 'containerID') ?? '').replace(/^fake:\/\//, '') || randomBytes(32).toString('hex'));
    const running = arr(pod, 'status', 'containerStatuses').map((s) => str(s, 'state', 'running', 'startedAt')).find((t) => t !== undefined);
    const p: FakePod = { ip: usesHostNetwork(pod) ? '' : ip, startedAt: running ?? str(pod, 'status', 'startTime') ?? rfc3339(this.opts.clock.now()), ids, exitCode: undefined };
    this.pods.set(uid, p);
    return this.podStatus(pod);
  }

  /** report renders a pod's statuses; finishedAt set means its containers have exited with p.exitCode. */
  private report(pod: KubeObject, p: FakePod, finishedAt?: string): RuntimePodStatus {
    const id = (name: string): string => `fake://${p.ids.get(name) ?? ''}`;
    const base = (c: { name: string; image: string }): JsonObject => ({ name: c.name, image: normalizeImage(c.image), imageID: imageID(c.image), containerID: id(c.name), restartCount: 0, lastState: {} });
    const initContainerStatuses = containersOf(pod, 'initContainers').map((c) => ({
      ...base(c),
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: p.startedAt, finishedAt: p.startedAt, containerID: id(c.name) } },
      ready: true,
      started: false,
    }));
    const code = p.exitCode ?? 0;
    const containerStatuses = containersOf(pod, 'containers').map((c) =>
      finishedAt === undefined
        ? { ...base(c), state: { running: { startedAt: p.startedAt } }, ready: true, started: true }
        : { ...base(c), state: { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: p.startedAt, finishedAt, containerID: id(c.name) } }, ready: false, started: false },
    );
    return { podIP: p.ip, initContainerStatuses, containerStatuses };
  }
}

/** usesHostNetwork tells whether the pod uses the host's network (then it gets no pod IP of its own). */
function usesHostNetwork(pod: KubeObject): boolean {
  const spec = pod['spec'];
  return typeof spec === 'object' && spec !== null && (spec as { hostNetwork?: unknown }).hostNetwork === true;
}
