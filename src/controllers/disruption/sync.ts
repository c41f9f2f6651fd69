/** syncPodDisruptionBudget: one level-driven pass over one PodDisruptionBudget (pkg/controller/disruption sync). */
import type { KubeObject } from '../../api/types.js';
import { arr, field, num } from '../../api/object.js';
import { isStatusError } from '../../api/errors.js';
import { labelSelectorFromObject } from '../../api/labels/selector.js';
import { NAMESPACE_INDEX, type DisruptionDeps } from './deps.js';
import { expectedPodCount } from './expected.js';
import { countHealthyPods, desiredStatus, DISRUPTION_ALLOWED, disruptedPodMap, REASON, setCondition, statusUpToDate } from './status.js';

/** podsForPdb lists the cached pods of the PDB's namespace its selector matches (a null selector matches none). */
export function podsForPdb(d: DisruptionDeps, pdb: KubeObject): KubeObject[] {
  const sel = labelSelectorFromObject(field(pdb, 'spec', 'selector'));
  return d.podLister.byIndex(NAMESPACE_INDEX, pdb.metadata.namespace ?? '').filter((p) => sel.matches(p.metadata.labels ?? {}));
}

/** writeStatus replaces the PDB's status through the status subresource, from a copy of the cached object. */
async function writeStatus(d: DisruptionDeps, pdb: KubeObject, status: Record<string, unknown>): Promise<void> {
  await d.pdbs.updateStatus({ ...structuredClone(pdb), status });
}

/** trySync computes and writes the status; throws when the expected count cannot be computed. */
async function trySync(d: DisruptionDeps, key: string, pdb: KubeObject): Promise<void> {
  const pods = podsForPdb(d, pdb);
  if (pods.length === 0) d.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
  let expected;
  try {
    expected = expectedPodCount(d, pdb, pods);
  } catch (e) {
    d.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(e as Error).message}`);
    throw e;
  }
  if (expected.unmanagedPods.length) d.logger.debug('unmanaged pods selected by PodDisruptionBudget', { pdb: key, pods: expected.unmanagedPods });
  const now = d.clock.now();
  const { disrupted, recheckAt } = disruptedPodMap(pdb, pods, now);
  const counts = { currentHealthy: countHealthyPods(pods, disrupted), desiredHealthy: expected.desiredHealthy, expectedPods: expected.expectedPods, disruptedPods: disrupted };
  if (!statusUpToDate(pdb, counts)) await writeStatus(d, pdb, desiredStatus(pdb, counts, now));
  if (recheckAt !== undefined) d.enqueueAfter(key, recheckAt - now);
}

/**
 * failSafe is upstream's fail-open-to-closed fallback: when the status cannot be computed, set
 * disruptionsAllowed to 0 with DisruptionAllowed=False/SyncFailed so no eviction gets through.
 */
async function failSafe(d: DisruptionDeps, pdb: KubeObject, err: Error): Promise<void> {
  const status = { ...(structuredClone(pdb.status) as Record<string, unknown> | undefined) };
  const observedGeneration = num(pdb, 'status', 'observedGeneration') ?? 0;
  const conditions = setCondition(arr(pdb, 'status', 'conditions'), { type: DISRUPTION_ALLOWED, status: 'False', reason: REASON.syncFailed, message: err.message, observedGeneration }, d.clock.now());
  const next = { ...status, disruptionsAllowed: 0, conditions };
  if (JSON.stringify(next) !== JSON.stringify(pdb.status ?? {})) await writeStatus(d, pdb, next);
}

/**
 * syncPodDisruptionBudget brings one PDB's status (`namespace/name` key) in line with the pods its
 * selector matches. A conflict is retried as is; any other failure first closes the budget
 * (failSafe) and is then rethrown so the key is retried with backoff.
 */
export async function syncPodDisruptionBudget(d: DisruptionDeps, key: string): Promise<void> {
  const pdb = d.pdbLister.get(key);
  if (!pdb) return;
  try {
    await trySync(d, key, pdb);
  } catch (e) {
    if (isStatusError(e) && e.code === 409) throw e;
    d.logger.warn('failed to sync PodDisruptionBudget', { pdb: key, err: (e as Error).message });
    await failSafe(d, pdb, e as Error);
    throw e;
  }
}
