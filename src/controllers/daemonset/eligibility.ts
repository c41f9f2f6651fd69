/** Which nodes a DaemonSet's pods belong on: node selector, required node affinity, nodeName, taints. */
import { arr, objAt, str } from '../../api/object.js';
import { nodeSelectorRequirementMatches } from '../../api/labels/node_selector.js';
import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';

/** daemonTolerations are the tolerations every DaemonSet pod gets (upstream's AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(hostNetwork: boolean): JsonObject[] {
  const t = (key: string, effect: string): JsonObject => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const out = [t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'), t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule')];
  if (hostNetwork) out.push(t('network-unavailable', 'NoSchedule'));
  return out;
}

function tolerates(tol: unknown, taint: unknown): boolean {
  const effect = str(tol, 'effect') ?? '';
  if (effect !== '' && effect !== str(taint, 'effect')) return false;
  const key = str(tol, 'key') ?? '';
  const op = str(tol, 'operator') ?? 'Equal';
  if (key === '') return op === 'Exists';
  if (key !== str(taint, 'key')) return false;
  return op === 'Exists' || (str(tol, 'value') ?? '') === (str(taint, 'value') ?? '');
}


/** nodeMatchesTerms is NodeSelectorTerms matching: any term whose expressions (labels) and fields (metadata.name) all hold. */
export function nodeMatchesTerms(node: KubeObject, terms: unknown[]): boolean {
  const labels = node.metadata.labels ?? {};
  return terms.some((term) => {
    const exprs = arr(term, 'matchExpressions');
    const fields = arr(term, 'matchFields');
    if (exprs.length === 0 && fields.length === 0) return false;
    return exprs.every((r) => nodeSelectorRequirementMatches(r, labels[str(r, 'key') ?? ''])) && fields.every((r) => str(r, 'key') === 'metadata.name' && nodeSelectorRequirementMatches(r, node.metadata.name));
  });
}

/** Eligibility says whether a node should run the daemon pod, and whether an existing one may stay. */
export interface Eligibility {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/**
 * eligibility is NodeShouldRunDaemonPod: a node failing the selector, affinity or nodeName runs
 * nothing; an untolerated NoSchedule taint stops new pods only; an untolerated NoExecute taint
 * also evicts the running one.
 */
export function eligibility(ds: KubeObject, node: KubeObject): Eligibility {
  const spec = objAt(ds, 'spec', 'template', 'spec') ?? {};
  const no = { shouldRun: false, shouldContinueRunning: false };
  const nodeName = str(spec, 'nodeName');
  if (nodeName && nodeName !== node.metadata.name) return no;
  const selector = objAt(spec, 'nodeSelector') ?? {};
  for (const [k, v] of Object.entries(selector)) if (node.metadata.labels?.[k] !== v) return no;
  const required = objAt(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
  if (required && !nodeMatchesTerms(node, arr(required, 'nodeSelectorTerms'))) return no;
  const tolerations = [...arr(spec, 'tolerations'), ...daemonTolerations(spec.hostNetwork === true)];
  const untolerated = arr(node, 'spec', 'taints').filter((t) => isObject(t) && !tolerations.some((tol) => tolerates(tol, t)));
  const effects = new Set(untolerated.map((t) => str(t, 'effect')));
  if (effects.has('NoExecute')) return no;
  return { shouldRun: !effects.has('NoSchedule'), shouldContinueRunning: true };
}
