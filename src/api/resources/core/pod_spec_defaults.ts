/** Defaulting of PodSpec and its parts, as pkg/apis/core/v1/defaults.go does for v1. */
import { arr, ensureObj, setDefault } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';

/** imageTag returns the tag of an image reference: "latest" when neither tag nor digest is given, "" for digest-only. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  if (colon >= 0) return lastPart.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function objects(parent: JsonObject, key: string): JsonObject[] {
  return arr(parent, key).filter(isObject);
}

function defaultHandler(handler: unknown): void {
  if (!isObject(handler)) return;
  const httpGet = handler['httpGet'];
  if (isObject(httpGet)) {
    setDefault(httpGet, 'path', '/');
    setDefault(httpGet, 'scheme', 'HTTP');
  }
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

function defaultEnv(c: JsonObject): void {
  for (const e of objects(c, 'env')) {
    const fieldRef = isObject(e['valueFrom']) ? e['valueFrom']['fieldRef'] : undefined;
    if (isObject(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

/** defaultContainer fills one container's defaults (pull policy from the tag, termination message, port protocols, probes). */
export function defaultContainer(c: JsonObject, hostNetwork: boolean): void {
  const image = typeof c['image'] === 'string' ? c['image'] : '';
  setDefault(c, 'imagePullPolicy', imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent');
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  ensureObj(c, 'resources');
  for (const p of objects(c, 'ports')) {
    setDefault(p, 'protocol', 'TCP');
    // With host networking the host port is the container port.
    if (hostNetwork && p['hostPort'] === undefined) p['hostPort'] = p['containerPort'];
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  const lifecycle = c['lifecycle'];
  if (isObject(lifecycle)) {
    defaultHandler(lifecycle['postStart']);
    defaultHandler(lifecycle['preStop']);
  }
  defaultEnv(c);
}

const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];

/** VOLUME_SOURCES lists the v1 VolumeSource fields; a volume must set exactly one. */
export const VOLUME_SOURCES: readonly string[] = volumeSources;

/** defaultVolume fills a volume's defaults: emptyDir when no source is set, mode 0644 (420) for file projections. */
export function defaultVolume(v: JsonObject): void {
  if (!volumeSources.some((s) => v[s] !== undefined && v[s] !== null)) v['emptyDir'] = {};
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = v[s];
    if (isObject(src)) setDefault(src, 'defaultMode', 420);
  }
  const hostPath = v['hostPath'];
  if (isObject(hostPath)) setDefault(hostPath, 'type', '');
  const downward = v['downwardAPI'];
  if (isObject(downward)) {
    for (const item of objects(downward, 'items')) {
      if (isObject(item['fieldRef'])) setDefault(item['fieldRef'], 'apiVersion', 'v1');
    }
  }
}

/** defaultPodSpec fills PodSpec defaults in place (restartPolicy, dnsPolicy, grace period, scheduler, securityContext, containers, volumes). */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  ensureObj(spec, 'securityContext');
  const hostNetwork = spec['hostNetwork'] === true;
  for (const c of objects(spec, 'initContainers')) defaultContainer(c, hostNetwork);
  for (const c of objects(spec, 'containers')) defaultContainer(c, hostNetwork);
  for (const c of objects(spec, 'ephemeralContainers')) defaultContainer(c, hostNetwork);
  for (const v of objects(spec, 'volumes')) defaultVolume(v);
}

/** defaultPodTemplateSpec defaults a PodTemplateSpec's spec (creating it) and marks metadata.creationTimestamp null as the Go server serializes it. */
export function defaultPodTemplateSpec(tpl: JsonObject): void {
  const meta = ensureObj(tpl, 'metadata');
  setDefault(meta, 'creationTimestamp', null);
  defaultPodSpec(ensureObj(tpl, 'spec'));
}

/** defaultPodOnlyFields applies what v1 defaults only for Pods, not templates: enableServiceLinks, and requests copied from limits. */
export function defaultPodOnlyFields(spec: JsonObject): void {
  setDefault(spec, 'enableServiceLinks', true);
  for (const c of [...objects(spec, 'initContainers'), ...objects(spec, 'containers')]) {
    const res = ensureObj(c, 'resources');
    const limits = res['limits'];
    if (!isObject(limits) || Object.keys(limits).length === 0) continue;
    const requests = ensureObj(res, 'requests');
    for (const [k, v] of Object.entries(limits)) setDefault(requests, k, v);
  }
}
