import type { CacheEvent, WatchCache } from '../watch_cache.js';

/**
 * followCache calls onChange with every batch of changes to a watch cache, after first calling
 * onReset (read the cache's current contents there). A watcher the cache drops is followed anew.
 * Returns a function that stops following.
 */
export function followCache(cache: WatchCache, onReset: () => void, onChange: (events: CacheEvent[]) => void): () => void {
  let stopped = false;
  let unwatch = (): void => {};
  const start = (): void => {
    if (stopped) return;
    onReset();
    unwatch = cache.watch(cache.revision, {
      push: (events) => {
        onChange(events);
        return true;
      },
      close: () => queueMicrotask(start),
    });
  };
  start();
  return () => {
    stopped = true;
    unwatch();
  };
}
