/** Ephemeral containers: their PodSpec validation and the pods/ephemeralcontainers update strategy. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, str } from '../../object.js';
import type { SubresourceStrategy } from '../../resource.js';
import { isObject, type JsonObject, type KubeObject } from '../../types.js';
import { validateContainer } from './pod_spec_containers.js';
import { semanticEqual } from './pods_update.js';

/** EPHEMERAL_FORBIDDEN_FIELDS are the container fields an ephemeral container may not set, in the Container struct's order. */
export const EPHEMERAL_FORBIDDEN_FIELDS = [
  'ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
];
const FORBIDDEN_DETAIL = 'cannot be set for an Ephemeral Container';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

const names = (spec: JsonObject, key: string): string[] => arr(spec, key).map((c) => str(c, 'name') ?? '');

function isUnset(v: unknown): boolean {
  return semanticEqual(v, undefined);
}

/**
 * validateEphemeralContainers checks spec.ephemeralContainers as kube-apiserver does: each is a valid
 * container, its name is unique across every container of the pod, its target names a regular or init
 * container, and it sets none of the fields pod services would rely on (ports, probes, resources, …).
 */
export function validateEphemeralContainers(spec: JsonObject, path: string, volumes: Set<string>): FieldError[] {
  const list = arr(spec, 'ephemeralContainers');
  if (list.length === 0) return [];
  const others = new Set([...names(spec, 'containers'), ...names(spec, 'initContainers')]);
  const all = new Set(others);
  const errs: FieldError[] = [];
  list.forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const c = isObject(raw) ? raw : {};
    // Forbidden fields are reported by the allow-list below, not by the regular container checks.
    const common = structuredClone(c);
    for (const k of EPHEMERAL_FORBIDDEN_FIELDS) delete common[k];
    errs.push(...validateContainer(common, p, all, volumes, false));
    const target = str(c, 'targetContainerName') ?? '';
    if (target !== '' && !others.has(target)) errs.push(fieldErr.notFound(`${p}.targetContainerName`, target));
    for (const k of EPHEMERAL_FORBIDDEN_FIELDS) if (!isUnset(c[k])) errs.push(fieldErr.forbidden(`${p}.${k}`, FORBIDDEN_DETAIL));
    arr(c, 'volumeMounts').forEach((m, j) => {
      for (const k of ['subPath', 'subPathExpr']) {
        if (str(m, k)) errs.push(fieldErr.forbidden(`${p}.volumeMounts[${j}].${k}`, FORBIDDEN_DETAIL));
      }
    });
  });
  return errs;
}

/** validateNoEphemeralOnCreate refuses ephemeral containers in a new pod: they are only added through the subresource. */
export function validateNoEphemeralOnCreate(spec: unknown): FieldError[] {
  return arr(spec, 'ephemeralContainers').length > 0 ? [fieldErr.forbidden('spec.ephemeralContainers', 'cannot be set on create')] : [];
}

/** containerDiff renders the changed fields of an ephemeral container, in the spirit of the cmp.Diff upstream appends. */
function containerDiff(old: JsonObject, next: JsonObject): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].filter((k) => !semanticEqual(old[k], next[k]));
  const goName = (k: string): string => k.charAt(0).toUpperCase() + k.slice(1);
  const lines = keys.flatMap((k) => [`- \t${goName(k)}: ${JSON.stringify(old[k] ?? null)},`, `+ \t${goName(k)}: ${JSON.stringify(next[k] ?? null)},`]);
  return ['  core.EphemeralContainer{', '  \t... // other fields unchanged', ...lines, '  }', ''].join('\n');
}

/**
 * validateEphemeralContainersUpdate checks an update through pods/ephemeralcontainers against the
 * stored pod: static pods take none, and existing ephemeral containers may be neither removed nor changed.
 */
export function validateEphemeralContainersUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  if (old.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return [fieldErr.forbidden('', 'static pods do not support ephemeral containers')];
  const byName = new Map<string, JsonObject>();
  for (const c of arr(next, 'spec', 'ephemeralContainers')) if (isObject(c)) byName.set(str(c, 'name') ?? '', c);
  const errs: FieldError[] = [];
  for (const o of arr(old, 'spec', 'ephemeralContainers')) {
    if (!isObject(o)) continue;
    const name = str(o, 'name') ?? '';
    const n = byName.get(name);
    if (!n) errs.push(fieldErr.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(name)} may not be removed\n`));
    else if (!semanticEqual(o, n)) {
      errs.push(fieldErr.forbidden(`spec.ephemeralContainers[${name}]`, `existing ephemeral containers ${JSON.stringify(name)} may not be changed\n${containerDiff(o, n)}`));
    }
  }
  return errs;
}

/**
 * ephemeralContainersStrategy builds the pods/ephemeralcontainers strategy: everything but
 * spec.ephemeralContainers stays as stored; validation is the full spec's plus the update rules above.
 */
export function ephemeralContainersStrategy(validateSpec: (spec: unknown) => FieldError[]): SubresourceStrategy {
  return {
    prepareForUpdate(obj, old) {
      const ephemeral = isObject(obj['spec']) ? obj['spec']['ephemeralContainers'] : undefined;
      const spec = structuredClone(isObject(old['spec']) ? old['spec'] : {});
      if (ephemeral === undefined || ephemeral === null) delete spec['ephemeralContainers'];
      else spec['ephemeralContainers'] = ephemeral;
      obj['spec'] = spec;
      if (old['status'] === undefined) delete obj['status'];
      else obj['status'] = structuredClone(old['status']);
    },
    validate(obj, old) {
      return [...validateSpec(obj['spec']), ...validateEphemeralContainersUpdate(obj, old)];
    },
  };
}
