/** ControllerRevisions of a StatefulSet: template hashes, revision numbers, history limit. */
import { deepCopy, num, objAt, str } from '../../api/object.js';
import type { JsonObject, KubeObject } from '../../api/types.js';
import { R, type Client } from '../../client/client.js';
import { canonicalJson } from '../../api/resources/apps/workload_validation.js';
import { jsonHash } from '../../lib/fnv.js';
import { REVISION_LABEL } from './pods.js';

/** HASH_LABEL is history.ControllerRevisionHashLabel, the hash part of a revision's name. */
export const HASH_LABEL = 'controller.kubernetes.io/hash';

/** templateHash is the hash of a pod template, independent of key order (a rollback patch reorders keys). */
export function templateHash(template: unknown): string {
  return jsonHash(JSON.parse(canonicalJson(template ?? {})));
}

/** templateOf returns the pod template a revision stores. */
export function templateOf(rev: KubeObject): JsonObject | undefined {
  const tpl = objAt(rev, 'data', 'spec', 'template');
  if (!tpl) return undefined;
  const { $patch: _ignored, ...rest } = tpl;
  return rest;
}

/** Revisions are the current and update revisions a sync works towards. */
export interface Revisions {
  current: string;
  currentTemplate: JsonObject;
  update: string;
  updateTemplate: JsonObject;
}

function newRevision(set: KubeObject, template: JsonObject, hash: string, revision: number): KubeObject {
  const labels = { ...((objAt(template, 'metadata', 'labels') as Record<string, string> | undefined) ?? {}), [HASH_LABEL]: hash };
  const metadata: KubeObject['metadata'] = {
    name: `${set.metadata.name ?? ''}-${hash}`,
    namespace: set.metadata.namespace ?? 'default',
    labels,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  // As upstream: the set's annotations (kubernetes.io/change-cause for `kubectl rollout history`).
  if (set.metadata.annotations) metadata.annotations = { ...set.metadata.annotations };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data: { spec: { template: { ...template, $patch: 'replace' } } }, revision };
}

/**
 * ensureRevisions makes sure a ControllerRevision `<set>-<hash>` for the set's template exists and
 * has the highest revision number (a rollback re-numbers the old one), and picks the current revision.
 */
export async function ensureRevisions(client: Client, set: KubeObject, owned: KubeObject[]): Promise<Revisions> {
  const template = deepCopy(objAt(set, 'spec', 'template') ?? {});
  const same = (r: KubeObject): boolean => canonicalJson(templateOf(r) ?? {}) === canonicalJson(template);
  const existing = owned.filter(same).sort((a, b) => (num(b, 'revision') ?? 0) - (num(a, 'revision') ?? 0))[0];
  const max = Math.max(0, ...owned.filter((r) => r !== existing).map((r) => num(r, 'revision') ?? 0));
  const revs = client.resource(R.controllerrevisions);
  const update = existing?.metadata.name ?? `${set.metadata.name ?? ''}-${templateHash(template)}`;
  if (!existing) {
    try {
      await revs.create(set.metadata.namespace ?? '', newRevision(set, template, templateHash(template), max + 1));
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  } else if ((num(existing, 'revision') ?? 0) <= max) {
    await revs.update({ ...deepCopy(existing), revision: max + 1 });
  }
  const currentName = str(set, 'status', 'currentRevision');
  const current = owned.find((r) => r.metadata.name === currentName);
  const currentTemplate = current ? templateOf(current) : undefined;
  if (!current || !currentTemplate) return { current: update, currentTemplate: template, update, updateTemplate: template };
  return { current: current.metadata.name ?? update, currentTemplate, update, updateTemplate: template };
}

/** trimHistory deletes the oldest revisions that no pod uses, beyond spec.revisionHistoryLimit. */
export async function trimHistory(client: Client, set: KubeObject, owned: KubeObject[], pods: KubeObject[], live: string[]): Promise<void> {
  const limit = num(set, 'spec', 'revisionHistoryLimit') ?? 10;
  const used = new Set([...live, ...pods.map((p) => p.metadata.labels?.[REVISION_LABEL] ?? '')]);
  const old = owned.filter((r) => !used.has(r.metadata.name ?? '')).sort((a, b) => (num(a, 'revision') ?? 0) - (num(b, 'revision') ?? 0));
  for (const rev of old.slice(0, Math.max(0, old.length - limit))) {
    try {
      await client.resource(R.controllerrevisions).delete(rev.metadata.namespace ?? '', rev.metadata.name ?? '');
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
