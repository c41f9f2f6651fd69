import { isObject } from '../api/types.js';
import type { AdmissionPlugin } from './admission.js';

/** NOT_READY_TAINT and UNREACHABLE_TAINT are the node lifecycle controller's NoExecute taint keys. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** toleratesNoExecute tells whether a toleration list already covers key:NoExecute (an empty key or effect matches all). */
function toleratesNoExecute(tolerations: unknown[], key: string): boolean {
  return tolerations.some((t) => isObject(t) && (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

/**
 * defaultTolerationSeconds is the DefaultTolerationSeconds admission plugin: on pod CREATE it adds
 * `node.kubernetes.io/not-ready:NoExecute` and `node.kubernetes.io/unreachable:NoExecute` tolerations
 * (operator Exists) with the given tolerationSeconds, each unless the pod already tolerates that
 * taint (a toleration with that key or an empty key, and effect NoExecute or empty), as upstream does.
 * Defaults upstream and in skiff are 300 s each.
 */
export function defaultTolerationSeconds(opts: { notReadySeconds: number; unreachableSeconds: number }): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(req) {
      if (req.operation !== 'CREATE' || req.subresource !== '' || req.type.group !== '' || req.type.plural !== 'pods') return;
      const spec = isObject(req.obj.spec) ? req.obj.spec : (req.obj.spec = {});
      const tolerations = Array.isArray(spec.tolerations) ? [...(spec.tolerations as unknown[])] : [];
      const added: Record<string, unknown>[] = [];
      if (!toleratesNoExecute(tolerations, NOT_READY_TAINT)) added.push({ key: NOT_READY_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: opts.notReadySeconds });
      if (!toleratesNoExecute(tolerations, UNREACHABLE_TAINT)) added.push({ key: UNREACHABLE_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: opts.unreachableSeconds });
      if (added.length) spec.tolerations = [...tolerations, ...added];
    },
  };
}
