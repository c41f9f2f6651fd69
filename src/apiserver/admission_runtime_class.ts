import { errors } from '../api/errors.js';
import { parseQuantity } from '../api/resources/core/quantity.js';
import { isObject, type JsonObject, type KubeObject } from '../api/types.js';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import { deepEqual } from './object_meta.js';

function refuse(req: AdmissionRequest, why: string): Error {
  return errors.forbidden(`pods "${req.name}" is forbidden: ${why}`);
}

/** sameResources compares two resource lists by quantity value, as upstream's semantic equality does. */
function sameResources(a: unknown, b: unknown): boolean {
  const x = isObject(a) ? a : {};
  const y = isObject(b) ? b : {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) {
    const qa = x[k];
    const qb = y[k];
    if (qa === undefined || qb === undefined) return false;
    const va = typeof qa === 'string' || typeof qa === 'number' ? parseQuantity(qa) : undefined;
    const vb = typeof qb === 'string' || typeof qb === 'number' ? parseQuantity(qb) : undefined;
    if (va === undefined || va !== vb) return false;
  }
  return true;
}

function isSetOverhead(v: unknown): boolean {
  return isObject(v);
}

const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

function setOverhead(req: AdmissionRequest, spec: JsonObject, rc: KubeObject): void {
  const podFixed = isObject(rc.overhead) ? rc.overhead.podFixed : undefined;
  if (!isObject(podFixed)) return;
  if (isSetOverhead(spec.overhead) && !sameResources(spec.overhead, podFixed)) throw refuse(req, OVERHEAD_MISMATCH);
  spec.overhead = { ...podFixed };
}

function setScheduling(req: AdmissionRequest, spec: JsonObject, rc: KubeObject): void {
  if (!isObject(rc.scheduling)) return;
  const sel = rc.scheduling.nodeSelector;
  if (isObject(sel) && Object.keys(sel).length) {
    const merged: JsonObject = isObject(spec.nodeSelector) ? { ...spec.nodeSelector } : {};
    for (const [k, v] of Object.entries(sel)) {
      if (k in merged && merged[k] !== v) {
        throw refuse(req, `conflict: runtimeClass.scheduling.nodeSelector[${k}] = ${String(v)}; pod.spec.nodeSelector[${k}] = ${String(merged[k])}`);
      }
      merged[k] = v;
    }
    spec.nodeSelector = merged;
  }
  const extra = Array.isArray(rc.scheduling.tolerations) ? (rc.scheduling.tolerations as unknown[]) : [];
  if (extra.length) {
    const tolerations = Array.isArray(spec.tolerations) ? [...(spec.tolerations as unknown[])] : [];
    // Duplicates are skipped, as upstream's toleration merge does.
    for (const t of extra) if (!tolerations.some((have) => deepEqual(have, t))) tolerations.push(t);
    spec.tolerations = tolerations;
  }
}

function podSpec(req: AdmissionRequest): JsonObject | undefined {
  if (req.operation !== 'CREATE' || req.subresource !== '' || req.type.group !== '' || req.type.plural !== 'pods') return undefined;
  return isObject(req.obj.spec) ? req.obj.spec : undefined;
}

/**
 * runtimeClassAdmission is kube-apiserver's RuntimeClass admission plugin: on pod CREATE with
 * spec.runtimeClassName it refuses a missing class, copies the class's overhead.podFixed into
 * spec.overhead (refusing a different one the pod set), merges scheduling.nodeSelector (refusing
 * conflicting keys) and appends scheduling.tolerations. Validation refuses an overhead that does
 * not match the class, or one set without a class that defines it.
 */
export function runtimeClassAdmission(runtimeClass: (name: string) => KubeObject | undefined | Promise<KubeObject | undefined>): AdmissionPlugin {
  return {
    name: 'RuntimeClass',
    async admit(req) {
      const spec = podSpec(req);
      const name = typeof spec?.runtimeClassName === 'string' ? spec.runtimeClassName : '';
      if (!spec || name === '') return;
      const rc = await runtimeClass(name);
      if (!rc) throw refuse(req, `pod rejected: RuntimeClass "${name}" not found`);
      setOverhead(req, spec, rc);
      setScheduling(req, spec, rc);
    },
    async validate(req) {
      const spec = podSpec(req);
      if (!spec) return;
      const name = typeof spec.runtimeClassName === 'string' ? spec.runtimeClassName : '';
      const rc = name === '' ? undefined : await runtimeClass(name);
      const podFixed = rc && isObject(rc.overhead) ? rc.overhead.podFixed : undefined;
      if (isObject(podFixed)) {
        if (!sameResources(spec.overhead, podFixed)) throw refuse(req, OVERHEAD_MISMATCH);
      } else if (isSetOverhead(spec.overhead)) {
        throw refuse(req, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
      }
    },
  };
}
