/** The dependency graph, read straight from the watched informers' uid and owner-uid indexes. */
import type { KubeObject } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import { objectKeyOf } from '../../client/informer.js';
import { OWNER_UID_INDEX, resourceId, UID_INDEX, type GcResourceType } from './resources.js';

/** Lister is the read side of an informer cache (an Informer satisfies it). */
export interface Lister {
  get(key: string): KubeObject | undefined;
  byIndex(name: string, value: string): KubeObject[];
}

/** GraphResource is one watched resource: its type, cache and client. */
export interface GraphResource {
  type: GcResourceType;
  lister: Lister;
  client: ResourceClient;
}

/** Node is an object in the graph with the resource it belongs to. */
export interface Node {
  res: GraphResource;
  obj: KubeObject;
}

/** Graph answers "who has this uid" and "who depends on this uid" across the watched caches. */
export class Graph {
  private readonly byId: Map<string, GraphResource>;

  constructor(readonly resources: GraphResource[]) {
    this.byId = new Map(resources.map((r) => [resourceId(r.type), r]));
  }

  /** resource returns a watched resource by its resourceId. */
  resource(id: string): GraphResource | undefined {
    return this.byId.get(id);
  }

  /** findByUid returns the cached object with this uid, if any. */
  findByUid(uid: string): Node | undefined {
    for (const res of this.resources) {
      const obj = res.lister.byIndex(UID_INDEX, uid)[0];
      if (obj) return { res, obj };
    }
    return undefined;
  }

  /** dependentsOf returns the cached objects with an owner reference to uid. */
  dependentsOf(uid: string): Node[] {
    return this.resources.flatMap((res) => res.lister.byIndex(OWNER_UID_INDEX, uid).map((obj) => ({ res, obj })));
  }
}

/** dependentKey and ownerKey are the two kinds of work-queue keys: `dep|<resourceId>|<objectKey>`, `own|…`. */
export const dependentKey = (n: Node): string => `dep|${resourceId(n.res.type)}|${objectKeyOf(n.obj)}`;
export const ownerKey = (n: Node): string => `own|${resourceId(n.res.type)}|${objectKeyOf(n.obj)}`;

/** parseKey splits a work-queue key. */
export function parseKey(key: string): { kind: 'dep' | 'own'; resource: string; objectKey: string } | undefined {
  const m = /^(dep|own)\|([^|]*)\|(.*)$/.exec(key);
  if (!m) return undefined;
  return { kind: m[1] === 'dep' ? 'dep' : 'own', resource: m[2] ?? '', objectKey: m[3] ?? '' };
}
