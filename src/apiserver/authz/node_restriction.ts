import { errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import { nodeNameOf } from './node.js';

const RESTRICTED_LABEL_PREFIX = 'node-restriction.kubernetes.io/';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

function forbidden(req: AdmissionRequest, why: string): Error {
  const t = req.type;
  const what = t.group ? `${t.plural}.${t.group}` : t.plural;
  return errors.forbidden(req.name ? `${what} "${req.name}" is forbidden: ${why}` : `${what} is forbidden: ${why}`);
}

function restrictedLabels(obj: KubeObject | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj?.metadata.labels ?? {})) if (k.startsWith(RESTRICTED_LABEL_PREFIX)) out.set(k, v);
  return out;
}

/** keepsTaints: every taint of old is still on obj (a node may add taints, as a restarted agent does with --node-taint, never drop or change one). */
function keepsTaints(obj: KubeObject, old: KubeObject): boolean {
  const taints = (o: KubeObject): string[] => (((o.spec as { taints?: unknown[] } | undefined)?.taints ?? []) as Record<string, unknown>[]).map((t) => `${String(t.key)}=${String(t.value ?? '')}:${String(t.effect)}`);
  const now = new Set(taints(obj));
  return taints(old).every((t) => now.has(t));
}

/**
 * nodeRestriction is kube-apiserver's NodeRestriction admission plugin for what the Node authorizer
 * cannot see in a URL: a node creates and updates only its own Node, never sets or changes
 * `node-restriction.kubernetes.io/` labels and never removes or changes a taint;
 * creates only mirror pods bound to itself; asks service-account tokens only bound to its own pods;
 * and creates only its own Lease.
 */
export function nodeRestriction(pods?: (namespace: string, name: string) => KubeObject | undefined): AdmissionPlugin {
  return {
    name: 'NodeRestriction',
    validate(req) {
      const node = nodeNameOf(req.user);
      if (!node) return;
      const t = req.type;
      if (t.group === '' && t.plural === 'nodes') {
        const name = req.obj.metadata.name ?? req.name;
        if (name !== node) throw forbidden(req, `node "${node}" is not allowed to modify node "${name}"`);
        if (req.operation === 'CREATE') {
          const set = [...restrictedLabels(req.obj).keys()];
          if (set.length) throw forbidden(req, `node "${node}" is not allowed to set the following labels: ${set.join(', ')}`);
        } else if (req.operation === 'UPDATE' && req.old) {
          const before = restrictedLabels(req.old);
          const after = restrictedLabels(req.obj);
          const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
          if (changed.length) throw forbidden(req, `node "${node}" is not allowed to modify labels: ${changed.join(', ')}`);
          if (req.subresource === '' && !keepsTaints(req.obj, req.old)) throw forbidden(req, `node "${node}" is not allowed to modify taints`);
        }
        return;
      }
      if (t.group === '' && t.plural === 'pods' && req.operation === 'CREATE' && req.subresource === '') {
        if (req.obj.metadata.annotations?.[MIRROR_ANNOTATION] === undefined) throw forbidden(req, `pod does not have "${MIRROR_ANNOTATION}" annotation, node "${node}" can only create mirror pods`);
        const bound = (req.obj.spec as { nodeName?: string } | undefined)?.nodeName;
        if (bound !== node) throw forbidden(req, `node "${node}" can only create pods with spec.nodeName set to itself`);
        return;
      }
      if (t.group === '' && t.plural === 'serviceaccounts' && req.subresource === 'token') {
        // A node asks tokens only for its own pods (the Node authorizer checked the account is one of theirs).
        const ref = (req.obj.spec as { boundObjectRef?: { kind?: string; name?: string } } | undefined)?.boundObjectRef;
        if (ref?.kind !== 'Pod' || !ref.name) throw forbidden(req, `node requested token not bound to a pod`);
        const pod = pods?.(req.namespace, ref.name);
        if ((pod?.spec as { nodeName?: string } | undefined)?.nodeName !== node) throw forbidden(req, `node requested token bound to a pod scheduled on a different node`);
        return;
      }
      if (t.group === 'coordination.k8s.io' && t.plural === 'leases' && req.operation === 'CREATE') {
        if (req.namespace !== 'kube-node-lease' || req.obj.metadata.name !== node) throw forbidden(req, 'can only access node lease with the same name as the requesting node');
      }
    },
  };
}
