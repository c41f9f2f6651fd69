import type { ApiCore } from '../core.js';
import type { UserInfo } from '../auth.js';
import { objectKey } from '../object_store.js';
import { followCache } from './follow.js';
import { NodeGraph } from './node_graph.js';
import { ALLOW, NO_OPINION, type Attributes, type Authorizer, type Decision } from './attributes.js';
import { rulesAllow, type PolicyRule } from './rules.js';

const NODE_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';

/** nodeNameOf returns the node a user is (system:node:<name> in group system:nodes), or undefined. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  const n = user.name.slice(NODE_PREFIX.length);
  return n || undefined;
}

function deny(reason: string): Decision {
  return { decision: 'none', reason };
}

/**
 * NodeAuthorizer is kube-apiserver's Node authorization mode: a node reads only the Secrets,
 * ConfigMaps, PVCs, PVs and service-account tokens of the pods bound to it and touches only its own
 * Lease; everything else a node may do is the system:node rules. Users that are not nodes get no
 * opinion (RBAC decides).
 */
export class NodeAuthorizer implements Authorizer {
  private readonly graph = new NodeGraph();
  private readonly stop_: () => void;

  constructor(
    private readonly core: ApiCore,
    private readonly nodeRules: readonly PolicyRule[],
  ) {
    const pods = core.registry.lookup('', 'v1', 'pods')!.type;
    const cache = core.cache(pods);
    this.stop_ = followCache(
      cache,
      () => {
        this.graph.clear();
        for (const c of cache.list()) this.graph.change(undefined, c.obj);
      },
      (events) => {
        for (const e of events) this.graph.change(e.prev, e.type === 'DELETED' ? undefined : e.obj);
      },
    );
  }

  stop(): void {
    this.stop_();
  }

  authorize(a: Attributes): Decision {
    const node = nodeNameOf(a.user);
    if (!node) return NO_OPINION;
    if (!a.isResourceRequest) return rulesAllow(a, this.nodeRules) ? ALLOW : NO_OPINION;
    if (a.apiGroup === '') {
      switch (a.resource) {
        case 'secrets':
        case 'configmaps':
          return this.related(a, node, ['get', 'list', 'watch']);
        case 'persistentvolumeclaims':
          if (a.subresource === 'status') break;
          return this.related(a, node, ['get']);
        case 'persistentvolumes':
          return this.volume(a, node);
        case 'serviceaccounts':
          if (a.subresource === 'token') return this.related(a, node, ['create']);
          break;
        case 'pods':
          if (a.verb === 'delete' || a.subresource === 'status' || a.subresource === 'eviction') {
            if (!rulesAllow(a, this.nodeRules)) return NO_OPINION;
            return this.boundPod(a, node) ? ALLOW : deny(`node "${node}" can only ${a.verb === 'delete' ? 'delete' : a.subresource === 'eviction' ? 'evict' : 'update the status of'} pods with spec.nodeName set to itself`);
          }
          break;
        case 'nodes':
          if (['update', 'patch', 'delete'].includes(a.verb) && a.name !== node) return deny(`node "${node}" is not allowed to modify node "${a.name}"`);
          break;
      }
    }
    if (a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') return this.ownLease(a, node);
    if (a.apiGroup === 'storage.k8s.io' && a.resource === 'csinodes') return this.ownObject(a, node, 'csinode');
    return rulesAllow(a, this.nodeRules) ? ALLOW : NO_OPINION;
  }

  private related(a: Attributes, node: string, verbs: string[]): Decision {
    if (!verbs.includes(a.verb)) return deny(`can only ${verbs.join('/')} individual resources of this type`);
    if (!a.name) return deny('No Object name found');
    if (!rulesAllow(a, this.nodeRules)) return NO_OPINION;
    const kind = a.resource as 'secrets' | 'configmaps' | 'persistentvolumeclaims' | 'serviceaccounts';
    if (this.graph.has(node, kind, a.namespace, a.name)) return ALLOW;
    return deny(`no relationship found between node '${node}' and this object`);
  }

  private boundPod(a: Attributes, node: string): boolean {
    const pods = this.core.registry.lookup('', 'v1', 'pods')!.type;
    const pod = this.core.cache(pods).get(objectKey(pods, a.namespace, a.name))?.obj;
    return (pod?.spec as { nodeName?: string } | undefined)?.nodeName === node;
  }

  private volume(a: Attributes, node: string): Decision {
    if (a.verb !== 'get') return deny('can only get individual resources of this type');
    if (!a.name) return deny('No Object name found');
    const claims = this.core.registry.lookup('', 'v1', 'persistentvolumeclaims')?.type;
    if (claims) {
      const cache = this.core.cache(claims);
      for (const [ns, n] of this.graph.claims(node)) {
        const pvc = cache.get(objectKey(claims, ns, n))?.obj;
        if ((pvc?.spec as { volumeName?: string } | undefined)?.volumeName === a.name) return ALLOW;
      }
    }
    return deny(`no relationship found between node '${node}' and this object`);
  }

  private ownLease(a: Attributes, node: string): Decision {
    if (a.namespace !== 'kube-node-lease') return deny(`can only access leases in the kube-node-lease namespace`);
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return deny(`can only get, create, update, patch, or delete a node lease`);
    if (a.verb !== 'create' && a.name !== node) return deny(`can only access node lease with the same name as the requesting node`);
    return ALLOW;
  }

  private ownObject(a: Attributes, node: string, what: string): Decision {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return deny(`can only get, create, update, patch, or delete a ${what}`);
    if (a.verb !== 'create' && a.name !== node) return deny(`can only access ${what} with the same name as the requesting node`);
    return ALLOW;
  }
}
