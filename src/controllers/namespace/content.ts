import type { Client, GroupVersionResource } from '../../client/client.js';
import { allResources } from '../../api/resources/index.js';

/** ContentReport is what one pass over a terminating namespace's contents found. */
export interface ContentReport {
  /** remaining counts objects still present per resource ("pods", "deployments.apps"). */
  remaining: Map<string, number>;
  /** failures are the messages of list/delete calls that failed (other than NotFound). */
  failures: string[];
}

/** namespacedResources returns every namespaced resource the API server serves (stored versions). */
export function namespacedResources(): GroupVersionResource[] {
  return allResources()
    .filter((t) => t.namespaced)
    .map((t) => ({ group: t.group, version: t.version, resource: t.plural }));
}

function resourceName(gvr: GroupVersionResource): string {
  return gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
}

const isNotFound = (e: unknown): boolean => (e as { code?: number }).code === 404;

/**
 * deleteNamespaceContent deletes every object of every given resource in a namespace (objects
 * already marked for deletion are left to finish) and reports what is still there afterwards:
 * pods bound to a node stay until their kubelet confirms, objects with finalizers until those go.
 */
export async function deleteNamespaceContent(client: Client, namespace: string, resources: GroupVersionResource[]): Promise<ContentReport> {
  const report: ContentReport = { remaining: new Map(), failures: [] };
  for (const gvr of resources) {
    const rc = client.resource(gvr);
    try {
      const before = await rc.list(namespace);
      if (before.items.length === 0) continue;
      for (const item of before.items) {
        if (item.metadata.deletionTimestamp) continue;
        try {
          await rc.delete(namespace, item.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) report.failures.push(`${resourceName(gvr)} "${item.metadata.name ?? ''}": ${(e as Error).message}`);
        }
      }
      // Count again: graceful deletions (pods on a node) and finalizers keep objects around.
      const after = await rc.list(namespace);
      if (after.items.length > 0) report.remaining.set(resourceName(gvr), after.items.length);
    } catch (e) {
      if (!isNotFound(e)) report.failures.push(`${resourceName(gvr)}: ${(e as Error).message}`);
    }
  }
  return report;
}
