import { errors } from '../api/errors.js';
import { isObject, type JsonObject, type KubeObject } from '../api/types.js';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import { generateNameSuffix } from './object_meta.js';

/** DEFAULT_SERVICE_ACCOUNT is the account pods run as when they name none. */
const DEFAULT_SERVICE_ACCOUNT = 'default';
/** API_TOKEN_MOUNT_PATH is where in-cluster clients look for token, ca.crt and namespace. */
export const API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** ServiceAccountAdmissionOptions: how to read ServiceAccounts, and how to wait between retries. */
export interface ServiceAccountAdmissionOptions {
  /** serviceAccount reads one ServiceAccount; fresh asks storage-consistent data (the retry path). */
  serviceAccount(namespace: string, name: string, fresh: boolean): Promise<KubeObject | undefined>;
  /** sleep waits between the retries for `default` (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /** nameSuffix makes the 5 random characters of the volume name (tests pin it). */
  nameSuffix?: () => string;
}

/** tokenVolumeSource is the projected volume upstream mounts: a 3607 s token, the cluster CA and the namespace. */
export function tokenVolumeSource(): JsonObject {
  return {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

function forbidden(req: AdmissionRequest, why: string): Error {
  // Names are not generated yet upstream when admission runs: generateName stands in for them.
  const name = req.obj.metadata.generateName || req.obj.metadata.name || req.name;
  return errors.forbidden(`pods "${name}" is forbidden: ${why}`);
}

/** mountToken adds the kube-api-access volume and its read-only mount to every container lacking one at the mount path. */
function mountToken(spec: JsonObject, suffix: () => string): void {
  const volumes = list(spec.volumes);
  const existing = volumes.find((v) => typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = typeof existing?.name === 'string' ? existing.name : `${TOKEN_VOLUME_PREFIX}${suffix()}`;
  let needed = false;
  for (const field of ['initContainers', 'containers']) {
    for (const c of list(spec[field])) {
      const mounts = list(c.volumeMounts);
      if (mounts.some((m) => m.mountPath === API_TOKEN_MOUNT_PATH)) continue;
      c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH }];
      needed = true;
    }
  }
  if (needed && !existing) spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), { name: volumeName, projected: tokenVolumeSource() }];
}

function automount(pod: JsonObject, sa: KubeObject): boolean {
  if (typeof pod.automountServiceAccountToken === 'boolean') return pod.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

function usesTokenProjection(spec: JsonObject): boolean {
  return list(spec.volumes).some((v) => isObject(v.projected) && list(v.projected.sources).some((s) => s.serviceAccountToken !== undefined));
}

function referencesSecrets(spec: JsonObject): boolean {
  if (list(spec.imagePullSecrets).length) return true;
  if (list(spec.volumes).some((v) => isObject(v.secret) || (isObject(v.projected) && list(v.projected.sources).some((s) => isObject(s.secret))))) return true;
  const containers = [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)];
  return containers.some((c) => list(c.env).some((e) => isObject(e.valueFrom) && isObject(e.valueFrom.secretKeyRef)) || list(c.envFrom).some((e) => isObject(e.secretRef)));
}

/**
 * serviceAccountAdmission is the ServiceAccount admission plugin: on pod CREATE it defaults
 * spec.serviceAccountName to `default`, refuses pods whose ServiceAccount does not exist (for
 * `default`, which the controller creates with the namespace, after up to 10 retries, as
 * upstream), copies the account's imagePullSecrets into pods that have none and, unless
 * automountServiceAccountToken is false (the pod's choice wins over the account's), mounts the
 * projected `kube-api-access-<random>` volume read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container that has nothing mounted there.
 * Mirror pods are left as they are and may reference no service account or secret.
 */
export function serviceAccountAdmission(opts: ServiceAccountAdmissionOptions): AdmissionPlugin {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const suffix = opts.nameSuffix ?? generateNameSuffix;
  const lookup = async (namespace: string, name: string): Promise<KubeObject | undefined> => {
    const cached = await opts.serviceAccount(namespace, name, false);
    if (cached) return cached;
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? 10 : 1;
    const interval = 100 + Math.floor(Math.random() * 100);
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(interval);
      const sa = await opts.serviceAccount(namespace, name, true);
      if (sa) return sa;
    }
    return undefined;
  };
  const applies = (req: AdmissionRequest): boolean => req.operation === 'CREATE' && req.subresource === '' && req.type.group === '' && req.type.plural === 'pods';
  return {
    name: 'ServiceAccount',
    async admit(req) {
      if (!applies(req) || req.obj.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = isObject(req.obj.spec) ? req.obj.spec : (req.obj.spec = {});
      // The deprecated spec.serviceAccount stands in for the name, and mirrors it, as v1 conversion does.
      if (!spec.serviceAccountName) spec.serviceAccountName = typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccount = spec.serviceAccountName;
      const name = String(spec.serviceAccountName);
      const sa = await lookup(req.namespace, name);
      if (!sa) throw forbidden(req, `error looking up service account ${req.namespace}/${name}: serviceaccount "${name}" not found`);
      if (automount(spec, sa)) mountToken(spec, suffix);
      const pullSecrets = list(sa.imagePullSecrets);
      if (list(spec.imagePullSecrets).length === 0 && pullSecrets.length) spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name }));
    },
    async validate(req) {
      if (!applies(req)) return;
      const spec = isObject(req.obj.spec) ? req.obj.spec : {};
      if (req.obj.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
        if (spec.serviceAccountName) throw forbidden(req, 'a mirror pod may not reference service accounts');
        if (referencesSecrets(spec)) throw forbidden(req, 'a mirror pod may not reference secrets');
        if (usesTokenProjection(spec)) throw forbidden(req, 'a mirror pod may not use ServiceAccountToken volume projections');
        return;
      }
      const name = typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : '';
      if (!name) throw forbidden(req, `no service account specified for pod ${req.namespace}/${req.obj.metadata.name ?? ''}`);
      if (!(await lookup(req.namespace, name))) throw forbidden(req, `error looking up service account ${req.namespace}/${name}: serviceaccount "${name}" not found`);
    },
  };
}
