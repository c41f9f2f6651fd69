import type { KubeObject } from '../../api/types.js';
import { num } from '../../api/object.js';
import { isStatusError } from '../../api/errors.js';
import { replicasOf, revisionHistoryLimit } from './fenceposts.js';
import { byRevision } from './replicasets.js';
import type { Rollout } from './rollout.js';

/**
 * cleanupDeployment deletes the oldest old ReplicaSets (by revision) beyond revisionHistoryLimit;
 * only those scaled to 0 with no pods left and an observed spec are deleted.
 */
export async function cleanupDeployment(r: Rollout, oldRSs: KubeObject[]): Promise<void> {
  const limit = revisionHistoryLimit(r.d);
  if (limit === undefined) return;
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  for (const rs of alive.sort(byRevision).slice(0, diff)) {
    const busy = (num(rs, 'status', 'replicas') ?? 0) !== 0 || replicasOf(rs) !== 0;
    const unobserved = (rs.metadata.generation ?? 0) > (num(rs, 'status', 'observedGeneration') ?? 0);
    if (busy || unobserved) continue;
    try {
      await r.deps.replicaSets.delete(rs.metadata.namespace ?? '', rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid ?? '' } });
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) throw e;
    }
  }
}
