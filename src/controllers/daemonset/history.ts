/**
 * ControllerRevisions of a DaemonSet, as upstream's constructHistory / cleanupHistory: one
 * revision `<ds>-<hash>` per distinct template, labelled `controller-revision-hash: <hash>`,
 * carrying the DaemonSet's annotations and the strategic-merge patch that restores the template
 * (what `kubectl rollout undo` applies). The current template's revision has the highest number.
 */
import { deepCopy, num, objAt } from '../../api/object.js';
import { canonicalJson } from '../../api/resources/apps/workload_validation.js';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { R, type Client } from '../../client/client.js';
import { jsonHash } from '../../lib/fnv.js';
import { REVISION_LABEL } from './pods.js';

/** templateHash is the hash of a pod template, independent of key order (a rollback patch reorders keys). */
export function templateHash(template: unknown): string {
  return jsonHash(JSON.parse(canonicalJson(template ?? {})));
}

/** revisionTemplate returns the pod template a revision's patch restores. */
export function revisionTemplate(rev: KubeObject): JsonObject | undefined {
  const tpl = objAt(rev, 'data', 'spec', 'template');
  if (!tpl) return undefined;
  const { $patch: _directive, ...rest } = tpl;
  return rest;
}

/** newRevision is the snapshot of ds's template with the given revision number. */
export function newRevision(ds: KubeObject, hash: string, revision: number): KubeObject {
  const template = deepCopy(objAt(ds, 'spec', 'template') ?? {});
  const labels = { ...((objAt(template, 'metadata', 'labels') as Record<string, string> | undefined) ?? {}), [REVISION_LABEL]: hash };
  const metadata: KubeObject['metadata'] = {
    name: `${ds.metadata.name ?? ''}-${hash}`,
    namespace: ds.metadata.namespace ?? 'default',
    labels,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  if (ds.metadata.annotations) metadata.annotations = { ...ds.metadata.annotations };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data: { spec: { template: { ...template, $patch: 'replace' } } }, revision };
}

/** History is the outcome of constructHistory: the current revision's hash and the older revisions. */
export interface History {
  hash: string;
  old: KubeObject[];
}

function sameTemplate(rev: KubeObject, template: unknown): boolean {
  return canonicalJson(revisionTemplate(rev) ?? {}) === canonicalJson(template ?? {});
}

/**
 * constructHistory finds or creates the revision of ds's current template and renumbers it past
 * every older one (so a rolled-back template becomes the newest revision again).
 */
export async function constructHistory(client: Client, ds: KubeObject, owned: KubeObject[]): Promise<History> {
  const template = objAt(ds, 'spec', 'template') ?? {};
  const hash = templateHash(template);
  const current = owned.filter((r) => sameTemplate(r, template));
  const old = owned.filter((r) => !current.includes(r));
  const next = Math.max(0, ...old.map((r) => num(r, 'revision') ?? 0)) + 1;
  const revs = client.resource(R.controllerrevisions);
  const ns = ds.metadata.namespace ?? '';
  const cur = current.sort((a, b) => (num(b, 'revision') ?? 0) - (num(a, 'revision') ?? 0))[0];
  if (!cur) {
    try {
      await revs.create(ns, newRevision(ds, hash, next));
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
      // Created by an earlier pass the cache has not seen yet; make sure it is the newest.
      const found = await revs.get(ns, `${ds.metadata.name ?? ''}-${hash}`);
      if (!sameTemplate(found, template)) throw new Error(`controllerrevision ${found.metadata.name ?? ''} holds another template (hash collision)`);
      if ((num(found, 'revision') ?? 0) < next) await revs.update({ ...deepCopy(found), revision: next });
    }
  } else if ((num(cur, 'revision') ?? 0) < next) {
    await revs.update({ ...deepCopy(cur), revision: next });
  }
  return { hash: cur?.metadata.labels?.[REVISION_LABEL] ?? hash, old };
}

/** cleanupHistory deletes the oldest revisions no live pod runs, keeping spec.revisionHistoryLimit (default 10). */
export async function cleanupHistory(client: Client, ds: KubeObject, old: KubeObject[], pods: KubeObject[]): Promise<void> {
  const limit = num(ds, 'spec', 'revisionHistoryLimit') ?? 10;
  if (old.length <= limit) return;
  const live = new Set(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.labels?.[REVISION_LABEL]));
  const unused = old.filter((r) => !live.has(r.metadata.labels?.[REVISION_LABEL])).sort((a, b) => (num(a, 'revision') ?? 0) - (num(b, 'revision') ?? 0));
  for (const rev of unused.slice(0, Math.max(0, old.length - limit))) {
    try {
      await client.resource(R.controllerrevisions).delete(rev.metadata.namespace ?? '', rev.metadata.name ?? '');
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
