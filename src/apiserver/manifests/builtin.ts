import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { DEFAULT_INGRESS_CLASS_ANNOTATION, SKIFF_INGRESS_CLASS, SKIFF_INGRESS_CONTROLLER } from '../../api/resources/networking/ingressclasses.js';
import { DEFAULT_STORAGE_CLASS_ANNOTATION } from '../../api/resources/storage/storageclasses.js';
import { LOCAL_PATH_PROVISIONER, LOCAL_PATH_STORAGE_CLASS, LOCAL_STORAGE_PATH_ANNOTATION } from '../../api/resources/storage/local_path.js';
import type { Logger } from '../../lib/log.js';
import { aggregatedMetricsReader } from '../resource_metrics/cluster_role.js';
import type { ManifestDeployer } from './deployer.js';
import { SKIP_SUFFIX } from './documents.js';

/** BuiltinManifest is one packaged component's file: `<name>.yaml`, absent from the folder when disabled. */
export interface BuiltinManifest {
  /** name is the component (`--disable NAME`) and the file's base name. */
  name: string;
  enabled: boolean;
  objects: KubeObject[];
}

/** BuiltinOptions are what the packaged objects point at. */
export interface BuiltinOptions {
  /** clusterDNS is the `kube-dns` Service's ClusterIP. */
  clusterDNS: string;
  disableDns: boolean;
  disableIngress: boolean;
  /** disableLocalStorage: `--disable local-storage` (absent: the class is installed). */
  disableLocalStorage?: boolean;
  /** defaultLocalStoragePath: `--default-local-storage-path`, published on the class for the nodes ('' or absent: none). */
  defaultLocalStoragePath?: string;
  /** disableMetricsServer: `--disable metrics-server` (absent: its aggregated reader ClusterRole is installed). */
  disableMetricsServer?: boolean;
}

/**
 * kubeDnsService is the `kube-dns` Service at the cluster DNS address. It has no selector: every
 * node's agent answers DNS itself and publishes its own endpoint, and `internalTrafficPolicy:
 * Local` sends each pod's queries to its own node.
 */
function kubeDnsService(ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      internalTrafficPolicy: 'Local',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
}

function defaultIngressClass(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: SKIFF_INGRESS_CLASS, annotations: { [DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' }, labels: { 'app.kubernetes.io/managed-by': 'skiff' } },
    spec: { controller: SKIFF_INGRESS_CONTROLLER },
  };
}

/** localPathStorageClass is k3s's `local-path` class: the default, served by the built-in local-path provisioner. */
function localPathStorageClass(defaultPath: string): KubeObject {
  const annotations: Record<string, string> = { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' };
  if (defaultPath) annotations[LOCAL_STORAGE_PATH_ANNOTATION] = defaultPath;
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_STORAGE_CLASS, annotations, labels: { 'app.kubernetes.io/managed-by': 'skiff' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
  };
}

/**
 * builtinManifests lists the packaged components that k3s ships as manifests: `dns` (k3s's
 * coredns.yaml: the kube-dns Service), `ingress` (k3s's traefik: the default IngressClass),
 * `local-storage` (k3s's local-storage.yaml: the default StorageClass `local-path`) and
 * `metrics-server` (k3s's metrics-server/: the `system:aggregated-metrics-reader` ClusterRole; the
 * metrics API itself is served inside the API server).
 */
export function builtinManifests(opts: BuiltinOptions): BuiltinManifest[] {
  return [
    { name: 'dns', enabled: !opts.disableDns, objects: [kubeDnsService(opts.clusterDNS)] },
    { name: 'ingress', enabled: !opts.disableIngress, objects: [defaultIngressClass()] },
    { name: 'local-storage', enabled: opts.disableLocalStorage !== true, objects: [localPathStorageClass(opts.defaultLocalStoragePath ?? '')] },
    { name: 'metrics-server', enabled: opts.disableMetricsServer !== true, objects: [aggregatedMetricsReader()] },
  ];
}

/** renderManifest is a builtin's file text: a header saying how to override it, then its objects. */
export function renderManifest(m: BuiltinManifest): string {
  const header = `# Written by skiff at every start. To change these objects, create ${m.name}.yaml${SKIP_SUFFIX}\n# and put your own copy in a file with another name; start with --disable ${m.name} to remove them.\n`;
  return header + m.objects.map((o) => `---\n${stringify(o)}`).join('');
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * installBuiltins writes each enabled builtin's file into the deployer's folder (rewritten at every
 * start, as k3s does, unless a `.skip` file is there), and for each disabled one removes the file
 * and deletes the objects its record tracks (k3s's `--disable`). Run it before the deployer starts.
 */
export async function installBuiltins(deployer: ManifestDeployer, manifests: BuiltinManifest[], logger: Logger): Promise<void> {
  await mkdir(deployer.dir, { recursive: true, mode: 0o700 });
  for (const m of manifests) {
    const path = join(deployer.dir, `${m.name}.yaml`);
    if (!m.enabled) {
      await rm(path, { force: true });
      await deployer.removeAddon(m.name);
      continue;
    }
    if ((await readText(path + SKIP_SUFFIX)) !== undefined) {
      logger.info('packaged component skipped by its .skip file', { file: path });
      continue;
    }
    const text = renderManifest(m);
    if ((await readText(path)) !== text) await writeFile(path, text, { mode: 0o600 });
  }
}
