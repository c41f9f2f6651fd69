import { isObject, type KubeObject } from '../../api/types.js';
import { arr } from '../../api/object.js';
import type { ContentReport } from './content.js';

/** NamespaceCondition is one entry of a namespace's status.conditions. */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** deletionConditions returns the conditions kube-controller-manager reports while it empties a namespace. */
export function deletionConditions(report: ContentReport): NamespaceCondition[] {
  const remaining = [...report.remaining].map(([r, n]) => `${r} has ${n} resource instances`);
  return [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    report.failures.length
      ? { type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${report.failures.length} remaining: ${report.failures.join(', ')}` }
      : { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    remaining.length
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ];
}

/**
 * mergeConditions returns ns.status.conditions updated with `wanted` (lastTransitionTime moves only
 * when a status flips), or undefined when nothing would change.
 */
export function mergeConditions(ns: KubeObject, wanted: NamespaceCondition[], now: string): NamespaceCondition[] | undefined {
  const current = arr(ns, 'status', 'conditions').filter(isObject);
  let changed = false;
  const out = wanted.map((w) => {
    const old = current.find((c) => c.type === w.type);
    if (old && old.status === w.status && old.reason === w.reason && old.message === w.message) return old as unknown as NamespaceCondition;
    changed = true;
    const keepTime = old && old.status === w.status && typeof old.lastTransitionTime === 'string';
    return { ...w, lastTransitionTime: keepTime ? (old.lastTransitionTime as string) : now };
  });
  return changed || current.length !== out.length ? out : undefined;
}
