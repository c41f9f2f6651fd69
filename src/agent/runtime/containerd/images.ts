import type { KubeObject } from '../../../api/types.js';
import { str } from '../../../api/object.js';
import type { EventRecorder } from '../../../client/events.js';
import type { Clock } from '../../../lib/clock.js';
import type { CriClient, PodSandboxConfig } from '../../cri/types.js';
import { Backoff, goDuration } from './backoff.js';

/** ImageResult is the outcome of ensuring a container's image: present, or the waiting reason and message and when to try again (ms epoch). */
export type ImageResult = { ok: true } | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull'; message: string; retryAt: number };

/** defaultPullPolicy is Always for `:latest` or untagged images, IfNotPresent otherwise (the API's default). */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * ImageManager makes sure a container's image is present before the container is created, per
 * imagePullPolicy (Always / IfNotPresent / Never), with the kubelet's events and its pull back-off
 * (10 s doubling to 5 min per pod and image: ErrImagePull, then ImagePullBackOff until it expires).
 */
export class ImageManager {
  private readonly backoff: Backoff;

  constructor(
    private readonly cri: CriClient,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder | undefined,
  ) {
    this.backoff = new Backoff(clock);
  }

  /** ensure pulls the container's image when its policy asks for it and reports whether it is usable. */
  async ensure(pod: KubeObject, container: unknown, sandbox: PodSandboxConfig): Promise<ImageResult> {
    const image = str(container, 'image') ?? '';
    const policy = str(container, 'imagePullPolicy') ?? defaultPullPolicy(image);
    const event = (type: 'Normal' | 'Warning', reason: string, msg: string): void => this.recorder?.event(pod, type, reason, msg);
    const present = policy === 'Always' ? undefined : await this.cri.imageStatus({ image });
    if (present) {
      event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, reason: 'ErrImageNeverPull', message, retryAt: this.clock.now() + 10_000 };
    }
    const key = `${pod.metadata.uid ?? ''}_${image}`;
    const now = this.clock.now();
    if (this.backoff.isInBackOffSinceUpdate(key, now)) {
      const message = `Back-off pulling image "${image}"`;
      event('Normal', 'BackOff', message);
      event('Warning', 'Failed', 'Error: ImagePullBackOff');
      return { ok: false, reason: 'ImagePullBackOff', message, retryAt: (this.backoff.lastUpdate(key) ?? now) + this.backoff.get(key) };
    }
    event('Normal', 'Pulling', `Pulling image "${image}"`);
    try {
      await this.cri.pullImage({ image }, undefined, sandbox);
    } catch (e) {
      const message = (e as Error).message;
      this.backoff.next(key, now);
      event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      event('Warning', 'Failed', 'Error: ErrImagePull');
      return { ok: false, reason: 'ErrImagePull', message, retryAt: now };
    }
    this.backoff.reset(key);
    const took = goDuration(this.clock.now() - now);
    const size = (await this.cri.imageStatus({ image }).catch(() => undefined))?.size ?? 0;
    event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`);
    return { ok: true };
  }

  /** forget drops a pod's pull back-off state. */
  forget(uid: string): void {
    this.backoff.resetPrefix(`${uid}_`);
  }
}
