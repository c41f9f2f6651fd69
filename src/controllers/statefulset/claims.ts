/** PersistentVolumeClaims of a StatefulSet: created per ordinal, kept or deleted per retention policy. */
import { deepCopy, objAt, str } from '../../api/object.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Informer } from '../../client/informer.js';
import { R, type Client } from '../../client/client.js';
import { claimName, claimTemplates } from './pods.js';

/** setOwner is the reference upstream's setOwnerRef puts on a claim: not a controller, not blocking deletion. */
function setOwner(set: KubeObject): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '' };
}

/**
 * ensureClaims creates the missing PVCs of one ordinal from spec.volumeClaimTemplates. With
 * persistentVolumeClaimRetentionPolicy.whenDeleted=Delete they are owned by the set, so the
 * garbage collector removes them with it.
 */
export async function ensureClaims(client: Client, claims: Informer, set: KubeObject, ordinal: number): Promise<void> {
  const ns = set.metadata.namespace ?? 'default';
  const deleteWithSet = str(set, 'spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted') === 'Delete';
  const matchLabels = (objAt(set, 'spec', 'selector', 'matchLabels') as Record<string, string> | undefined) ?? {};
  for (const tpl of claimTemplates(set)) {
    const name = claimName(str(tpl, 'metadata', 'name') ?? '', set, ordinal);
    if (claims.get(`${ns}/${name}`)) continue;
    const meta = objAt(tpl, 'metadata') ?? {};
    const pvc: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, labels: { ...((meta.labels as Record<string, string> | undefined) ?? {}), ...matchLabels } },
      spec: deepCopy(objAt(tpl, 'spec') ?? {}),
    };
    if (meta.annotations) pvc.metadata.annotations = meta.annotations as Record<string, string>;
    if (deleteWithSet) pvc.metadata.ownerReferences = [setOwner(set)];
    try {
      await client.resource(R.persistentvolumeclaims).create(ns, pvc);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

/**
 * deleteScaledClaims applies whenScaled=Delete: the PVCs of ordinals at or past the replica
 * count are deleted once their pod is gone.
 */
export async function deleteScaledClaims(client: Client, claims: Informer, set: KubeObject, firstGone: number, podOrdinals: Set<number>): Promise<void> {
  if (str(set, 'spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled') !== 'Delete') return;
  const ns = set.metadata.namespace ?? 'default';
  for (const tpl of claimTemplates(set)) {
    const prefix = `${str(tpl, 'metadata', 'name') ?? ''}-${set.metadata.name ?? ''}-`;
    for (const pvc of claims.list(ns)) {
      const name = pvc.metadata.name ?? '';
      const ord = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
      if (!Number.isInteger(ord) || ord < firstGone || podOrdinals.has(ord) || pvc.metadata.deletionTimestamp) continue;
      try {
        await client.resource(R.persistentvolumeclaims).delete(ns, name);
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
    }
  }
}

/**
 * syncClaimOwners keeps persistentVolumeClaimRetentionPolicy.whenDeleted in force after a policy
 * change: the claims of ordinals [first, end) are owned by the set exactly when it is Delete.
 */
export async function syncClaimOwners(client: Client, claims: Informer, set: KubeObject, first: number, end: number): Promise<void> {
  const want = str(set, 'spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted') === 'Delete';
  const ns = set.metadata.namespace ?? 'default';
  for (const tpl of claimTemplates(set)) {
    for (let ord = first; ord < end; ord++) {
      const pvc = claims.get(`${ns}/${claimName(str(tpl, 'metadata', 'name') ?? '', set, ord)}`);
      if (!pvc || pvc.metadata.deletionTimestamp) continue;
      const refs = pvc.metadata.ownerReferences ?? [];
      const has = refs.some((r) => r.uid === set.metadata.uid);
      if (has === want) continue;
      const ownerReferences = want ? [...refs, setOwner(set)] : refs.filter((r) => r.uid !== set.metadata.uid);
      try {
        await client.resource(R.persistentvolumeclaims).update({ ...deepCopy(pvc), metadata: { ...deepCopy(pvc.metadata), ownerReferences } });
      } catch (e) {
        // Changed or deleted meanwhile: the next sync sees the new claim.
        const code = (e as { code?: number }).code;
        if (code !== 404 && code !== 409) throw e;
      }
    }
  }
}
