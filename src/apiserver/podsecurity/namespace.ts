import { errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { AdmissionRequest } from '../admission.js';
import { addWarning, type PodSecurityContext } from './context.js';
import { compareLevels, fullyPrivileged, LABELS, levelVersionString, policyToEvaluate, sameLevelVersion, versionString, type LevelVersion, type Policy } from './level.js';
import { podView } from './pod_spec.js';
import { forbiddenReason } from './registry.js';

/** MAX_PODS_TO_CHECK and POD_CHECK_TIMEOUT_MS bound the check of existing pods, as upstream's. */
export const MAX_PODS_TO_CHECK = 3000;
export const POD_CHECK_TIMEOUT_MS = 1000;

const NAMESPACE = { group: '', resource: 'namespaces', kind: 'Namespace' };

/** equivalent compares policies mode by mode, any two privileged modes being equal whatever their version. */
function equivalent(a: Policy, b: Policy): boolean {
  return (['enforce', 'audit', 'warn'] as const).every(
    (m) => (a[m].level === 'privileged' && b[m].level === 'privileged') || sameLevelVersion(a[m], b[m]),
  );
}

/** exemptNamespaceWarning tells the user that labels set on an exempt namespace have no effect. */
function exemptNamespaceWarning(ctx: PodSecurityContext, name: string, policy: Policy, labels: Record<string, string>): string {
  if (fullyPrivileged(policy) || equivalent(policy, ctx.config.defaults)) return '';
  const parts: string[] = [];
  const modes = [
    ['enforce', LABELS.enforce, LABELS.enforceVersion],
    ['audit', LABELS.audit, LABELS.auditVersion],
    ['warn', LABELS.warn, LABELS.warnVersion],
  ] as const;
  for (const [mode, levelLabel, versionLabel] of modes) {
    if (policy[mode].level !== 'privileged' && (levelLabel in labels || versionLabel in labels)) parts.push(`${mode}=${levelVersionString(policy[mode])}`);
  }
  return `namespace "${name}" is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`;
}

/** controllerUid is the uid of a pod's controlling owner, if any. */
function controllerUid(pod: KubeObject): string | undefined {
  return (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true)?.uid;
}

/** prioritize drops pods of exempt runtime classes and puts one pod per controller first. */
function prioritize(ctx: PodSecurityContext, pods: KubeObject[]): KubeObject[] {
  const first: KubeObject[] = [];
  const rest: KubeObject[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    const rc = podView(pod).spec.runtimeClassName;
    if (typeof rc === 'string' && rc && ctx.config.exemptions.runtimeClasses.includes(rc)) continue;
    const uid = controllerUid(pod);
    if (uid !== undefined && seen.has(uid)) rest.push(pod);
    else first.push(pod);
    if (uid !== undefined) seen.add(uid);
  }
  return [...first, ...rest];
}

/**
 * evaluatePodsInNamespace lists the warnings for a namespace's existing pods under a new enforce
 * level, as upstream: one line per distinct set of violated controls, named by the lexically first
 * pod and a count of the others, after a header line; at most 3000 pods and about a second.
 */
export async function evaluatePodsInNamespace(ctx: PodSecurityContext, namespace: string, enforce: LevelVersion): Promise<string[]> {
  let listed: KubeObject[];
  try {
    listed = await ctx.opts.pods(namespace);
  } catch {
    return ['failed to list pods while checking new PodSecurity enforce level'];
  }
  const all = prioritize(ctx, listed);
  const pods = all.slice(0, MAX_PODS_TO_CHECK);
  const deadline = ctx.opts.clock.now() + POD_CHECK_TIMEOUT_MS;
  const byWarning = new Map<string, { podName: string; count: number }>();
  let checked = pods.length;
  for (const [i, pod] of pods.entries()) {
    const view = podView(pod);
    const r = ctx.evaluator.check(enforce, view.meta, view.spec);
    if (!r.allowed) {
      const warning = forbiddenReason(r);
      const name = pod.metadata.name ?? '';
      const c = byWarning.get(warning);
      if (!c) byWarning.set(warning, { podName: name, count: 1 });
      else {
        c.count++;
        if (name < c.podName) c.podName = name;
      }
    }
    if (ctx.opts.clock.now() > deadline) {
      checked = i + 1;
      break;
    }
  }
  const warnings: string[] = [];
  if (checked < all.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked} of ${all.length} existing pods`);
  if (byWarning.size) warnings.push(`existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${levelVersionString(enforce)}"`);
  const podLines = [...byWarning.entries()].map(([warning, c]) => {
    if (c.count === 1) return `${c.podName}: ${warning}`;
    if (c.count === 2) return `${c.podName} (and 1 other pod): ${warning}`;
    return `${c.podName} (and ${c.count - 1} other pods): ${warning}`;
  });
  return [...warnings, ...podLines.sort()];
}

/**
 * validateNamespace refuses namespace labels that name no level or version (on create, and on
 * update unless the same bad labels were already there), and when an update tightens the enforce
 * level, warns about the existing pods that violate it.
 */
export async function validateNamespace(ctx: PodSecurityContext, req: AdmissionRequest): Promise<void> {
  if (req.subresource !== '') return;
  const labels = req.obj.metadata.labels ?? {};
  const now = policyToEvaluate(labels, ctx.config.defaults);
  const exempt = ctx.config.exemptions.namespaces.includes(req.name);
  const warnExempt = (): void => {
    const w = exemptNamespaceWarning(ctx, req.name, now.policy, labels);
    if (w) addWarning(req, w);
  };
  if (req.operation === 'CREATE') {
    if (now.errors.length) throw errors.invalid(NAMESPACE, req.name, now.errors);
    if (exempt) warnExempt();
    return;
  }
  const before = policyToEvaluate(req.old?.metadata.labels, ctx.config.defaults);
  if (now.errors.length && (!before.errors.length || JSON.stringify(now.errors) !== JSON.stringify(before.errors))) {
    throw errors.invalid(NAMESPACE, req.name, now.errors);
  }
  const next = now.policy.enforce;
  const prev = before.policy.enforce;
  if (sameLevelVersion(next, prev) || next.level === 'privileged') return;
  if (versionString(next.version) === versionString(prev.version) && compareLevels(next.level, prev.level) < 1) return;
  if (exempt) return warnExempt();
  for (const w of await evaluatePodsInNamespace(ctx, req.name, next)) addWarning(req, w);
}
