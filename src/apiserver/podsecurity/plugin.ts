import { StatusError, errors } from '../../api/errors.js';
import { fieldErrorMessage, type FieldError } from '../../api/field_errors.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import { DEFAULT_CONFIGURATION } from './config.js';
import { addWarning, type PodSecurityContext, type PodSecurityOptions } from './context.js';
import { AUDIT_ANNOTATION_PREFIX, fullyPrivileged, levelVersionString, policyToEvaluate, type Policy } from './level.js';
import { validateNamespace } from './namespace.js';
import { isPodController, isSignificantPodUpdate, podView, templateView, type PodTemplateView } from './pod_spec.js';
import { Evaluator, forbiddenDetail, type AggregateResult } from './registry.js';

export type { PodSecurityOptions } from './context.js';

/** POD_IGNORED_SUBRESOURCES are pod subresources that cannot change what PodSecurity judges. */
const POD_IGNORED_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

function annotate(ctx: PodSecurityContext, req: AdmissionRequest, annotations: Record<string, string>): void {
  if (!Object.keys(annotations).length) return;
  req.auditAnnotations ??= {};
  for (const [k, v] of Object.entries(annotations)) req.auditAnnotations[AUDIT_ANNOTATION_PREFIX + k] = v;
  ctx.opts.logger.debug('PodSecurity audit annotations', { resource: req.type.plural, namespace: req.namespace, name: req.name, operation: req.operation, ...req.auditAnnotations });
}

/** aggregateMessage renders field errors as Go's ErrorList.ToAggregate().Error() does. */
function aggregateMessage(errs: FieldError[]): string {
  const msgs = errs.map((e) => fieldErrorMessage(e));
  return msgs.length === 1 ? (msgs[0] ?? '') : `[${msgs.join(', ')}]`;
}

function forbiddenPod(req: AdmissionRequest, message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${req.type.group ? `${req.type.plural}.${req.type.group}` : req.type.plural} "${req.name}" is forbidden: ${message}`,
    reason: 'Forbidden',
    details: { name: req.name, group: req.type.group, kind: req.type.plural },
    code: 403,
  });
}

/**
 * evaluatePod judges a pod (or pod template) by the namespace policy, as upstream's EvaluatePod:
 * enforce (pods only) refuses with 403, audit records `audit-violations`, warn adds a
 * `would violate PodSecurity` warning unless the request is refused anyway. Equal level+versions
 * are evaluated once.
 */
function evaluatePod(ctx: PodSecurityContext, req: AdmissionRequest, policy: Policy, policyErrors: FieldError[], pod: PodTemplateView, enforce: boolean): void {
  const runtimeClass = pod.spec.runtimeClassName;
  if (typeof runtimeClass === 'string' && runtimeClass && ctx.config.exemptions.runtimeClasses.includes(runtimeClass)) {
    return annotate(ctx, req, { exempt: 'runtimeClass' });
  }
  const annotations: Record<string, string> = {};
  if (policyErrors.length) annotations.error = `Failed to parse policy: ${aggregateMessage(policyErrors)}`;
  const cache = new Map<string, AggregateResult>();
  const judge = (lv: Policy['enforce']): AggregateResult => {
    const key = levelVersionString(lv);
    let r = cache.get(key);
    if (!r) cache.set(key, (r = ctx.evaluator.check(lv, pod.meta, pod.spec)));
    return r;
  };
  let refusal: StatusError | undefined;
  if (enforce) {
    annotations['enforce-policy'] = levelVersionString(policy.enforce);
    const r = judge(policy.enforce);
    if (!r.allowed) refusal = forbiddenPod(req, `violates PodSecurity "${levelVersionString(policy.enforce)}": ${forbiddenDetail(r)}`);
  }
  const audit = judge(policy.audit);
  if (!audit.allowed) annotations['audit-violations'] = `would violate PodSecurity "${levelVersionString(policy.audit)}": ${forbiddenDetail(audit)}`;
  if (!refusal) {
    const warn = judge(policy.warn);
    if (!warn.allowed) addWarning(req, `would violate PodSecurity "${levelVersionString(policy.warn)}": ${forbiddenDetail(warn)}`);
  }
  annotate(ctx, req, annotations);
  if (refusal) throw refusal;
}

async function namespacePolicy(ctx: PodSecurityContext, req: AdmissionRequest, forController: boolean): Promise<{ policy: Policy; errors: FieldError[] } | undefined> {
  const ns = await ctx.opts.namespace(req.namespace);
  if (!ns) {
    // Pods need their namespace judged; controllers are only warned and audited, so they pass.
    if (!forController) throw errors.internal(`failed to lookup namespace "${req.namespace}"`);
    annotate(ctx, req, { error: `failed to lookup namespace "${req.namespace}"` });
    return undefined;
  }
  return policyToEvaluate(ns.metadata.labels, ctx.config.defaults);
}

function exemptRequest(ctx: PodSecurityContext, req: AdmissionRequest): boolean {
  const { namespaces, usernames } = ctx.config.exemptions;
  if (req.namespace && namespaces.includes(req.namespace)) {
    annotate(ctx, req, { exempt: 'namespace' });
    return true;
  }
  if (req.user.name && usernames.includes(req.user.name)) {
    annotate(ctx, req, { exempt: 'user' });
    return true;
  }
  return false;
}

async function validatePod(ctx: PodSecurityContext, req: AdmissionRequest): Promise<void> {
  if (POD_IGNORED_SUBRESOURCES.has(req.subresource) || exemptRequest(ctx, req)) return;
  const ns = await namespacePolicy(ctx, req, false);
  if (!ns) return;
  if (!ns.errors.length && fullyPrivileged(ns.policy)) return annotate(ctx, req, { 'enforce-policy': 'privileged:latest' });
  if (req.operation === 'UPDATE' && req.old && !isSignificantPodUpdate(req.obj, req.old)) return;
  evaluatePod(ctx, req, ns.policy, ns.errors, podView(req.obj), true);
}

async function validatePodController(ctx: PodSecurityContext, req: AdmissionRequest): Promise<void> {
  if (req.subresource !== '' || exemptRequest(ctx, req)) return;
  const ns = await namespacePolicy(ctx, req, true);
  if (!ns) return;
  if (!ns.errors.length && ns.policy.warn.level === 'privileged' && ns.policy.audit.level === 'privileged') return;
  const template = templateView(req.type.group, req.type.plural, req.obj);
  if (template) evaluatePod(ctx, req, ns.policy, ns.errors, template, false);
}

/**
 * podSecurity is kube-apiserver's built-in PodSecurity admission plugin (k8s.io/pod-security-admission):
 * namespace labels `pod-security.kubernetes.io/{enforce,audit,warn}[-version]` pick a Pod
 * Security Standards level per mode; pods that violate the enforce level are refused, pods and
 * pod controllers' templates that violate the warn level get a warning, and audit violations are
 * recorded as audit annotations. Namespace labels are validated, and tightening a namespace's
 * enforce level warns about its existing pods that would be refused. Exempt usernames,
 * namespaces and runtime classes come from the configuration.
 */
export function podSecurity(opts: PodSecurityOptions): AdmissionPlugin {
  const ctx: PodSecurityContext = { config: opts.configuration ?? DEFAULT_CONFIGURATION, evaluator: opts.evaluator ?? new Evaluator(), opts };
  return {
    name: 'PodSecurity',
    async validate(req) {
      if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return;
      const { group, plural } = req.type;
      if (group === '' && plural === 'namespaces') return validateNamespace(ctx, req);
      if (group === '' && plural === 'pods') return validatePod(ctx, req);
      if (isPodController(group, plural)) return validatePodController(ctx, req);
    },
  };
}
