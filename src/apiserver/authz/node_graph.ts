import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';

/** PodReferences are the objects a pod needs from the API: what its node may read for it. */
export interface PodReferences {
  secrets: string[];
  configmaps: string[];
  persistentvolumeclaims: string[];
  serviceaccounts: string[];
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return isObject(v) ? v : undefined;
}

function name(v: unknown, key: string): string | undefined {
  const s = obj(v)?.[key];
  return typeof s === 'string' && s ? s : undefined;
}

function list(v: unknown, key: string): unknown[] {
  const l = obj(v)?.[key];
  return Array.isArray(l) ? l : [];
}

/**
 * podReferences lists a pod's Secrets, ConfigMaps, PVCs and ServiceAccount, from its volumes
 * (including projected sources and the secret references of volume plugins), image pull secrets and
 * container environment, as the Node authorizer's graph records them.
 */
export function podReferences(pod: KubeObject): PodReferences {
  const spec = obj(pod.spec);
  const secrets = new Set<string>();
  const configmaps = new Set<string>();
  const claims = new Set<string>();
  const add = (set: Set<string>, n: string | undefined): void => {
    if (n) set.add(n);
  };
  for (const s of list(spec, 'imagePullSecrets')) add(secrets, name(s, 'name'));
  for (const v of list(spec, 'volumes')) {
    add(secrets, name(obj(v)?.secret, 'secretName'));
    add(configmaps, name(obj(v)?.configMap, 'name'));
    add(claims, name(obj(v)?.persistentVolumeClaim, 'claimName'));
    if (obj(v)?.ephemeral) add(claims, `${pod.metadata.name ?? ''}-${name(v, 'name') ?? ''}`);
    for (const src of list(obj(v)?.projected, 'sources')) {
      add(secrets, name(obj(src)?.secret, 'name'));
      add(configmaps, name(obj(src)?.configMap, 'name'));
    }
    // Volume plugins that take their credentials from a Secret.
    for (const plugin of Object.values(obj(v) ?? {})) {
      for (const key of ['secretRef', 'nodePublishSecretRef', 'nodeStageSecretRef', 'controllerPublishSecretRef']) add(secrets, name(obj(plugin)?.[key], 'name'));
    }
  }
  for (const kind of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of list(spec, kind)) {
      for (const e of list(c, 'env')) {
        const from = obj(obj(e)?.valueFrom);
        add(secrets, name(from?.secretKeyRef, 'name'));
        add(configmaps, name(from?.configMapKeyRef, 'name'));
      }
      for (const e of list(c, 'envFrom')) {
        add(secrets, name(obj(e)?.secretRef, 'name'));
        add(configmaps, name(obj(e)?.configMapRef, 'name'));
      }
    }
  }
  return {
    secrets: [...secrets],
    configmaps: [...configmaps],
    persistentvolumeclaims: [...claims],
    serviceaccounts: [name(spec, 'serviceAccountName') ?? 'default'],
  };
}

/**
 * NodeGraph counts, per node, the references of the pods bound to it (`kind/namespace/name` →
 * number of pods), updated incrementally from pod changes.
 */
export class NodeGraph {
  private readonly byNode = new Map<string, Map<string, number>>();

  clear(): void {
    this.byNode.clear();
  }

  /** change applies one pod's move from prev to next (either may be undefined). */
  change(prev: KubeObject | undefined, next: KubeObject | undefined): void {
    if (prev) this.apply(prev, -1);
    if (next) this.apply(next, 1);
  }

  private apply(pod: KubeObject, delta: number): void {
    const node = name(pod.spec, 'nodeName');
    if (!node) return;
    let refs = this.byNode.get(node);
    if (!refs) this.byNode.set(node, (refs = new Map()));
    const ns = pod.metadata.namespace ?? '';
    const r = podReferences(pod);
    for (const [kind, names] of Object.entries(r) as [keyof PodReferences, string[]][]) {
      for (const n of names) {
        const key = `${kind}/${ns}/${n}`;
        const count = (refs.get(key) ?? 0) + delta;
        if (count > 0) refs.set(key, count);
        else refs.delete(key);
      }
    }
    if (refs.size === 0) this.byNode.delete(node);
  }

  /** has reports whether a pod on node references kind/namespace/name. */
  has(node: string, kind: keyof PodReferences, namespace: string, objName: string): boolean {
    return (this.byNode.get(node)?.get(`${kind}/${namespace}/${objName}`) ?? 0) > 0;
  }

  /** claims returns the namespace/name of every PVC the node's pods use. */
  claims(node: string): [string, string][] {
    const out: [string, string][] = [];
    for (const key of this.byNode.get(node)?.keys() ?? []) {
      if (!key.startsWith('persistentvolumeclaims/')) continue;
      const [, ns = '', n = ''] = key.split('/');
      out.push([ns, n]);
    }
    return out;
  }
}
