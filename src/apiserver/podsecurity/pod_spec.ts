import { isObject, type JsonObject, type KubeObject } from '../../api/types.js';
import { field } from '../../api/object.js';
import type { PodMeta } from './check.js';

/** PodTemplateView is the pod (or pod template) a request's object carries. */
export interface PodTemplateView {
  meta: PodMeta;
  spec: JsonObject;
}

/** POD_CONTROLLERS maps group/resource of the pod controllers to the path of their pod template. */
const POD_CONTROLLERS: Record<string, (string | number)[]> = {
  '/replicationcontrollers': ['spec', 'template'],
  '/podtemplates': ['template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** isPodController tells whether a resource embeds a pod template PodSecurity warns and audits on. */
export function isPodController(group: string, plural: string): boolean {
  return `${group}/${plural}` in POD_CONTROLLERS;
}

function podMeta(meta: unknown): PodMeta {
  const annotations: Record<string, string> = {};
  const raw = field(meta, 'annotations');
  if (isObject(raw)) for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') annotations[k] = v;
  return { annotations };
}

/** podView reads a pod's metadata and spec. */
export function podView(pod: KubeObject): PodTemplateView {
  return { meta: podMeta(pod.metadata), spec: isObject(pod.spec) ? pod.spec : {} };
}

/** templateView reads a pod controller's template, or undefined when it has none. */
export function templateView(group: string, plural: string, obj: KubeObject): PodTemplateView | undefined {
  const path = POD_CONTROLLERS[`${group}/${plural}`];
  const template = path ? field(obj, ...path) : undefined;
  if (!isObject(template)) return undefined;
  return { meta: podMeta(template.metadata), spec: isObject(template.spec) ? template.spec : {} };
}

function containerList(spec: unknown, key: string): JsonObject[] {
  const v = field(spec, key);
  return Array.isArray(v) ? v.filter(isObject) : [];
}

const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function significantContainerUpdate(c: JsonObject, old: JsonObject, annotations: Record<string, string>, oldAnnotations: Record<string, string>): boolean {
  if (c.image !== old.image) return true;
  const key = SECCOMP_CONTAINER_PREFIX + String(c.name ?? '');
  return annotations[key] !== oldAnnotations[key];
}

/**
 * isSignificantPodUpdate tells whether a pod update can change what PodSecurity judges, as
 * upstream decides it: a different number of containers or init containers, a changed image (or
 * per-container seccomp annotation), or an ephemeral container added or changed. Anything else a
 * pod update may change (labels, annotations, tolerations, ...) is let through unevaluated.
 */
export function isSignificantPodUpdate(pod: KubeObject, old: KubeObject): boolean {
  const annotations = podMeta(pod.metadata).annotations;
  const oldAnnotations = podMeta(old.metadata).annotations;
  for (const key of ['containers', 'initContainers']) {
    const now = containerList(pod.spec, key);
    const before = containerList(old.spec, key);
    if (now.length !== before.length) return true;
    if (now.some((c, i) => significantContainerUpdate(c, before[i] ?? {}, annotations, oldAnnotations))) return true;
  }
  const before = containerList(old.spec, 'ephemeralContainers');
  for (const c of containerList(pod.spec, 'ephemeralContainers')) {
    const o = before.find((b) => b.name === c.name);
    if (!o || significantContainerUpdate(c, o, annotations, oldAnnotations)) return true;
  }
  return false;
}
