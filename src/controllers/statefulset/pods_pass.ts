/**
 * One pass of StatefulSet pod management, as upstream's updateStatefulSet: replace failed pods and
 * create missing ones in ordinal order, delete condemned pods from the highest ordinal, then roll
 * pods to the update revision from the highest ordinal down to the partition. OrderedReady does
 * one step per pass and waits for Running and Ready; Parallel creates and deletes all at once.
 */
import { field, num, str } from '../../api/object.js';
import { scaledValue } from '../../api/resources/apps/int_or_percent.js';
import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { ensureClaims } from './claims.js';
import type { StatefulSetDeps } from './deps.js';
import { isAvailable, isRunningAndReady, isTerminal, minReadySecondsOf, newStatefulPod, REVISION_LABEL } from './pods.js';
import type { Revisions } from './revisions.js';

/** PassInput is one StatefulSet with its pods by ordinal. */
export interface PassInput {
  set: KubeObject;
  byOrdinal: Map<number, KubeObject>;
  condemned: KubeObject[];
  revs: Revisions;
}

async function createPod(d: StatefulSetDeps, set: KubeObject, revs: Revisions, ordinal: number, start: number): Promise<void> {
  await ensureClaims(d.client, d.claims, set, ordinal);
  const rolling = (str(set, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') === 'RollingUpdate';
  const partition = num(set, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  const useCurrent = rolling && ordinal - start < partition;
  const pod = useCurrent ? newStatefulPod(set, revs.currentTemplate, revs.current, ordinal) : newStatefulPod(set, revs.updateTemplate, revs.update, ordinal);
  try {
    await d.client.resource(R.pods).create(set.metadata.namespace ?? '', pod);
    d.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} successful`);
  } catch (e) {
    if ((e as { code?: number }).code === 409) return;
    d.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} failed error: ${(e as Error).message}`);
    throw e;
  }
}

async function deletePod(d: StatefulSetDeps, set: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await d.client.resource(R.pods).delete(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    d.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} successful`);
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
}

/** runPass performs the pass; it returns after the first step that must be waited on. */
export async function runPass(d: StatefulSetDeps, input: PassInput): Promise<void> {
  const { set, byOrdinal, condemned, revs } = input;
  const monotonic = str(set, 'spec', 'podManagementPolicy') !== 'Parallel';
  const replicas = num(set, 'spec', 'replicas') ?? 1;
  const start = num(set, 'spec', 'ordinals', 'start') ?? 0;
  for (let ord = start; ord < start + replicas; ord++) {
    const pod = byOrdinal.get(ord);
    if (pod && isTerminal(pod) && !pod.metadata.deletionTimestamp) {
      await deletePod(d, set, pod);
      if (monotonic) return;
      continue;
    }
    if (!pod) {
      await createPod(d, set, revs, ord, start);
      if (monotonic) return;
      continue;
    }
    if (monotonic && (pod.metadata.deletionTimestamp || !isRunningAndReady(pod))) return;
  }
  for (const pod of condemned) {
    if (pod.metadata.deletionTimestamp) {
      if (monotonic) return;
      continue;
    }
    await deletePod(d, set, pod);
    if (monotonic) return;
  }
  if ((str(set, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') !== 'RollingUpdate') return;
  const partition = num(set, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  const maxUnavailable = field(set, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable');
  if (maxUnavailable !== undefined && maxUnavailable !== null) return rollWithinBudget(d, input, scaledValue(maxUnavailable, replicas, false) ?? 1);
  for (let ord = start + replicas - 1; ord >= start + partition; ord--) {
    const pod = byOrdinal.get(ord);
    if (!pod) return;
    if (pod.metadata.labels?.[REVISION_LABEL] !== revs.update && !pod.metadata.deletionTimestamp) {
      await deletePod(d, set, pod);
      return;
    }
    if (pod.metadata.deletionTimestamp || !isRunningAndReady(pod)) return;
  }
}

/**
 * rollWithinBudget is the rolling update with rollingUpdate.maxUnavailable (MaxUnavailableStatefulSet):
 * pods missing, terminating or not available count against the budget; the rest of it deletes
 * old-revision pods from the highest ordinal down to the partition, several per pass.
 */
async function rollWithinBudget(d: StatefulSetDeps, input: PassInput, maxUnavailable: number): Promise<void> {
  const { set, byOrdinal, revs } = input;
  const replicas = num(set, 'spec', 'replicas') ?? 1;
  const start = num(set, 'spec', 'ordinals', 'start') ?? 0;
  const partition = num(set, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  const now = d.clock.now();
  let unavailable = 0;
  for (let ord = start; ord < start + replicas; ord++) {
    const pod = byOrdinal.get(ord);
    if (!pod || pod.metadata.deletionTimestamp || !isAvailable(pod, minReadySecondsOf(set), now)) unavailable++;
  }
  let budget = Math.max(1, maxUnavailable) - unavailable;
  for (let ord = start + replicas - 1; ord >= start + partition && budget > 0; ord--) {
    const pod = byOrdinal.get(ord);
    if (!pod || pod.metadata.deletionTimestamp || pod.metadata.labels?.[REVISION_LABEL] === revs.update) continue;
    await deletePod(d, set, pod);
    budget--;
  }
}
