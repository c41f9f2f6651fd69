/** Adoption and release of dependents, as upstream's ControllerRefManager (ClaimPods) does it. */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import type { Selector } from '../../api/labels/selector.js';
import { isStatusError } from '../../api/errors.js';
import { controllerRefOf } from './pods.js';

/** ClaimOptions describe one controller claiming the objects it should own. */
export interface ClaimOptions {
  owner: KubeObject;
  /** ownerRef is the controller reference the owner puts on what it adopts. */
  ownerRef: OwnerReference;
  selector: Selector;
  candidates: KubeObject[];
  /** client writes the candidates' ownerReferences. */
  client: ResourceClient;
  /** canAdopt re-reads the owner live and throws if it changed or is being deleted (called at most once). */
  canAdopt(): Promise<void>;
}

/** newControllerRef builds the controller reference of an owner (controller and blockOwnerDeletion true). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** patchOwnerRefs writes obj's ownerReferences with a merge patch pinned to its resourceVersion. */
export async function patchOwnerRefs(client: ResourceClient, obj: KubeObject, refs: OwnerReference[]): Promise<KubeObject> {
  const patch = { metadata: { ownerReferences: refs, resourceVersion: obj.metadata.resourceVersion } };
  return client.patch(obj.metadata.namespace ?? '', obj.metadata.name ?? '', 'merge', patch);
}

const notFound = (e: unknown): boolean => isStatusError(e) && e.code === 404;

/**
 * claimObjects returns the candidates the owner controls after adopting matching orphans and
 * releasing owned objects whose labels no longer match. A failed write does not stop the others;
 * the first error is thrown after all were tried (the caller re-queues).
 */
export async function claimObjects(o: ClaimOptions): Promise<KubeObject[]> {
  const uid = o.owner.metadata.uid;
  const ownerDeleting = o.owner.metadata.deletionTimestamp !== undefined;
  const claimed: KubeObject[] = [];
  let firstErr: unknown;
  let adoptCheck: Promise<void> | undefined;
  for (const obj of o.candidates) {
    const ref = controllerRefOf(obj);
    const matches = o.selector.matches(obj.metadata.labels);
    try {
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) claimed.push(obj);
        else if (!ownerDeleting) await patchOwnerRefs(o.client, obj, (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid));
        continue;
      }
      if (ownerDeleting || !matches || obj.metadata.deletionTimestamp) continue;
      if (obj.metadata.namespace !== o.owner.metadata.namespace) continue;
      adoptCheck ??= o.canAdopt();
      await adoptCheck;
      const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      claimed.push(await patchOwnerRefs(o.client, obj, [...refs, o.ownerRef]));
    } catch (e) {
      if (!notFound(e)) firstErr ??= e;
    }
  }
  if (firstErr !== undefined) throw firstErr;
  return claimed;
}

/** recheckOwner is the usual canAdopt: a live GET must show the same uid and no deletionTimestamp. */
export async function recheckOwner(client: ResourceClient, owner: KubeObject): Promise<void> {
  const fresh = await client.get(owner.metadata.namespace ?? '', owner.metadata.name ?? '');
  if (fresh.metadata.uid !== owner.metadata.uid) {
    throw new Error(`original ${owner.kind ?? 'object'} ${owner.metadata.namespace ?? ''}/${owner.metadata.name ?? ''} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${owner.metadata.uid ?? ''}`);
  }
  if (fresh.metadata.deletionTimestamp) {
    throw new Error(`${owner.kind ?? 'object'} ${owner.metadata.namespace ?? ''}/${owner.metadata.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }
}
