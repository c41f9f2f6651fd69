import type { Clock } from './clock.js';

/**
 * sleep resolves after ms on the clock, or as soon as the signal aborts (at once when it already
 * has); it never rejects, and it leaves no timer or abort listener behind.
 */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
