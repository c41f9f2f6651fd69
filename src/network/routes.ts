import type { KubeObject } from '../api/types.js';
import { arr, str } from '../api/object.js';
import type { Logger } from '../lib/log.js';
import type { CommandRunner } from './command.js';

/**
 * ROUTE_PROTO tags the routes skiff installs (`ip route … proto 152`), so a restarted agent finds
 * and prunes its own routes and never touches anyone else's.
 */
export const ROUTE_PROTO = '152';

/** PodRoute sends one node's pod CIDR to that node's InternalIP. */
export interface PodRoute {
  cidr: string;
  via: string;
}

/** nodeInternalIP returns a Node's first InternalIP address, if any. */
export function nodeInternalIP(node: KubeObject): string | undefined {
  for (const a of arr(node, 'status', 'addresses')) {
    if (str(a, 'type') === 'InternalIP') return str(a, 'address');
  }
  return undefined;
}

/**
 * desiredRoutes lists the routes this node needs: every other node's spec.podCIDR via its
 * InternalIP (flannel's host-gw idea). Nodes without either, and this node itself, are skipped.
 */
export function desiredRoutes(nodes: KubeObject[], self: { nodeName: string; nodeIP: string }): PodRoute[] {
  const out: PodRoute[] = [];
  for (const n of nodes) {
    const cidr = str(n, 'spec', 'podCIDR');
    const via = nodeInternalIP(n);
    if (n.metadata.name === self.nodeName || !cidr || !via || via === self.nodeIP) continue;
    out.push({ cidr, via });
  }
  return out.sort((a, b) => a.cidr.localeCompare(b.cidr));
}

/** listPodRoutes reads the routes tagged ROUTE_PROTO from the main table. */
export async function listPodRoutes(run: CommandRunner): Promise<PodRoute[]> {
  const { stdout } = await run('ip', ['-j', 'route', 'show', 'proto', ROUTE_PROTO]);
  const rows: unknown = stdout.trim() ? JSON.parse(stdout) : [];
  if (!Array.isArray(rows)) return [];
  return rows.map((r) => {
    const dst = str(r, 'dst') ?? '';
    return { cidr: dst.includes('/') ? dst : `${dst}/32`, via: str(r, 'gateway') ?? '' };
  });
}

/** RouteSyncResult counts what one sync changed; `failed` routes are retried by the caller. */
export interface RouteSyncResult {
  added: number;
  removed: number;
  failed: string[];
}

/**
 * syncPodRoutes makes the tagged routes equal `desired`: replaces missing or changed ones and
 * deletes tagged routes no longer wanted (deleted nodes). A route that cannot be set (gateway not
 * reachable yet) is reported in `failed`, not thrown, so one bad node does not block the rest.
 */
export async function syncPodRoutes(run: CommandRunner, desired: PodRoute[], logger: Logger): Promise<RouteSyncResult> {
  const current = new Map((await listPodRoutes(run)).map((r) => [r.cidr, r.via]));
  const result: RouteSyncResult = { added: 0, removed: 0, failed: [] };
  const wanted = new Set(desired.map((r) => r.cidr));
  for (const r of desired) {
    if (current.get(r.cidr) === r.via) continue;
    try {
      await run('ip', ['route', 'replace', r.cidr, 'via', r.via, 'proto', ROUTE_PROTO]);
      result.added++;
      logger.info('route to node pod CIDR set', { cidr: r.cidr, via: r.via });
    } catch (e) {
      result.failed.push(r.cidr);
      logger.warn('cannot set route to node pod CIDR', { cidr: r.cidr, via: r.via, err: (e as Error).message });
    }
  }
  for (const cidr of current.keys()) {
    if (wanted.has(cidr)) continue;
    await deleteRoute(run, cidr);
    result.removed++;
    logger.info('route to removed node pod CIDR deleted', { cidr });
  }
  return result;
}

/** deleteRoute removes one tagged route; a route already gone is fine. */
export async function deleteRoute(run: CommandRunner, cidr: string): Promise<void> {
  try {
    await run('ip', ['route', 'del', cidr, 'proto', ROUTE_PROTO]);
  } catch (e) {
    if (!/No such process|not found/i.test((e as Error).message)) throw e;
  }
}
