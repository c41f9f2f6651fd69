/** Adoption and release of ReplicaSets by a Deployment (upstream's ClaimReplicaSets). */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Selector } from '../../api/labels/selector.js';
import { isStatusError } from '../../api/errors.js';
import { controllerRefOf, type DeploymentDeps } from './deps.js';

function patchOwnerRefs(d: DeploymentDeps, rs: KubeObject, refs: OwnerReference[]): Promise<KubeObject> {
  const patch = { metadata: { ownerReferences: refs, resourceVersion: rs.metadata.resourceVersion } };
  return d.replicaSets.patch(rs.metadata.namespace ?? '', rs.metadata.name ?? '', 'merge', patch);
}

async function recheckDeployment(d: DeploymentDeps, deployment: KubeObject): Promise<void> {
  const fresh = await d.deployments.get(deployment.metadata.namespace ?? '', deployment.metadata.name ?? '');
  if (fresh.metadata.uid !== deployment.metadata.uid) throw new Error(`original Deployment ${deployment.metadata.name ?? ''} is gone`);
  if (fresh.metadata.deletionTimestamp) throw new Error(`Deployment ${deployment.metadata.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
}

/**
 * claimReplicaSets returns the ReplicaSets the Deployment controls after adopting matching
 * orphans (checked against a live read of the Deployment) and releasing owned ones that no
 * longer match. The first failed write is thrown after all were tried.
 */
export async function claimReplicaSets(d: DeploymentDeps, deployment: KubeObject, selector: Selector, candidates: KubeObject[]): Promise<KubeObject[]> {
  const uid = deployment.metadata.uid ?? '';
  const deleting = deployment.metadata.deletionTimestamp !== undefined;
  const ref: OwnerReference = { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true };
  const claimed: KubeObject[] = [];
  let firstErr: unknown;
  let adoptCheck: Promise<void> | undefined;
  for (const rs of candidates) {
    const owner = controllerRefOf(rs);
    const matches = selector.matches(rs.metadata.labels);
    const others = (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    try {
      if (owner) {
        if (owner.uid !== uid) continue;
        if (matches) claimed.push(rs);
        else if (!deleting) await patchOwnerRefs(d, rs, others);
        continue;
      }
      if (deleting || !matches || rs.metadata.deletionTimestamp) continue;
      adoptCheck ??= recheckDeployment(d, deployment);
      await adoptCheck;
      claimed.push(await patchOwnerRefs(d, rs, [...others, ref]));
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) firstErr ??= e;
    }
  }
  if (firstErr !== undefined) throw firstErr;
  return claimed;
}
