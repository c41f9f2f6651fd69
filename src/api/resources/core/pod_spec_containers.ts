/** Validation of containers and init containers of a PodSpec. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';
import { isDNS1123Label } from '../../validation/names.js';
import { validateEnv, validateEnvFrom, validateResources } from './pod_spec_env.js';
import { isValidPortName, isValidPortNum, SUPPORTED_PORT_PROTOCOLS } from './pod_spec_ports.js';
import { validateLifecycle, validateProbe } from './pod_spec_probes.js';

/** validateContainerPorts checks names (IANA_SVC_NAME, unique), containerPort/hostPort ranges and protocols. */
export function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const port = isObject(raw) ? raw : {};
    const name = typeof port['name'] === 'string' ? port['name'] : '';
    if (name) {
      const msgs = isValidPortName(name);
      for (const m of msgs) errs.push(fieldErr.invalid(`${p}.name`, name, m));
      if (!msgs.length && names.has(name)) errs.push(fieldErr.duplicate(`${p}.name`, name));
      names.add(name);
    }
    const cp = port['containerPort'];
    if (cp === undefined || cp === 0) errs.push(fieldErr.required(`${p}.containerPort`));
    else for (const m of isValidPortNum(Number(cp))) errs.push(fieldErr.invalid(`${p}.containerPort`, cp, m));
    const hp = port['hostPort'];
    if (hp !== undefined && hp !== 0) for (const m of isValidPortNum(Number(hp))) errs.push(fieldErr.invalid(`${p}.hostPort`, hp, m));
    const proto = port['protocol'];
    if (proto === undefined || proto === '') errs.push(fieldErr.required(`${p}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(proto))) errs.push(fieldErr.notSupported(`${p}.protocol`, proto, SUPPORTED_PORT_PROTOCOLS));
  });
  return errs;
}

/** validateVolumeMounts checks mounts name a pod volume, have a unique mountPath and a relative subPath. */
export function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  arr(mounts).forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const m = isObject(raw) ? raw : {};
    const name = typeof m['name'] === 'string' ? m['name'] : '';
    if (!name) errs.push(fieldErr.required(`${p}.name`));
    else if (!volumes.has(name)) errs.push(fieldErr.notFound(`${p}.name`, name));
    const mountPath = typeof m['mountPath'] === 'string' ? m['mountPath'] : '';
    if (!mountPath) errs.push(fieldErr.required(`${p}.mountPath`));
    else if (paths.has(mountPath)) errs.push(fieldErr.invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    paths.add(mountPath);
    const subPath = typeof m['subPath'] === 'string' ? m['subPath'] : '';
    if (subPath.startsWith('/')) errs.push(fieldErr.invalid(`${p}.subPath`, subPath, 'must be a relative path'));
    if (subPath.split('/').includes('..')) errs.push(fieldErr.invalid(`${p}.subPath`, subPath, "must not contain '..'"));
  });
  return errs;
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];

function validateEnumField(c: JsonObject, key: string, valid: string[], path: string): FieldError[] {
  const v = c[key];
  if (v === undefined || v === '') return [fieldErr.required(`${path}.${key}`)];
  return valid.includes(String(v)) ? [] : [fieldErr.notSupported(`${path}.${key}`, v, valid)];
}

/** validateContainer checks one container; names are checked for uniqueness by the caller via `names`. */
export function validateContainer(c: JsonObject, path: string, names: Set<string>, volumes: Set<string>, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof c['name'] === 'string' ? c['name'] : '';
  if (!name) errs.push(fieldErr.required(`${path}.name`));
  else for (const m of isDNS1123Label(name)) errs.push(fieldErr.invalid(`${path}.name`, name, m));
  if (name && names.has(name)) errs.push(fieldErr.duplicate(`${path}.name`, name));
  names.add(name);
  if (typeof c['image'] !== 'string' || c['image'] === '') errs.push(fieldErr.required(`${path}.image`));
  errs.push(...validateEnumField(c, 'terminationMessagePolicy', terminationMessagePolicies, path));
  errs.push(...validateEnumField(c, 'imagePullPolicy', pullPolicies, path));
  errs.push(...validateContainerPorts(c['ports'], `${path}.ports`));
  errs.push(...validateEnv(c['env'], `${path}.env`), ...validateEnvFrom(c['envFrom'], `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c['volumeMounts'], volumes, `${path}.volumeMounts`));
  const sidecar = init && c['restartPolicy'] === 'Always';
  if (init && c['restartPolicy'] !== undefined && !sidecar) errs.push(fieldErr.notSupported(`${path}.restartPolicy`, c['restartPolicy'], ['Always']));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (init && !sidecar && c[probe] !== undefined) {
      errs.push(fieldErr.forbidden(`${path}.${probe}`, 'may not be set for init containers without restartPolicy=Always'));
    } else {
      errs.push(...validateProbe(c[probe], `${path}.${probe}`, probe));
    }
  }
  errs.push(...validateLifecycle(c['lifecycle'], `${path}.lifecycle`));
  errs.push(...validateResources(c['resources'], `${path}.resources`));
  return errs;
}

/** validateAllContainers checks containers (required, non-empty) then init containers; names are unique across both. */
export function validateAllContainers(spec: JsonObject, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const containers = arr(spec, 'containers');
  if (containers.length === 0) errs.push(fieldErr.required(`${path}.containers`));
  const names = new Set<string>();
  containers.forEach((c, i) => errs.push(...validateContainer(isObject(c) ? c : {}, `${path}.containers[${i}]`, names, volumes, false)));
  arr(spec, 'initContainers').forEach((c, i) =>
    errs.push(...validateContainer(isObject(c) ? c : {}, `${path}.initContainers[${i}]`, names, volumes, true)),
  );
  return errs;
}
