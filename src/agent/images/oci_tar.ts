import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tarArchive, withParentDirs, type TarEntry } from './tar.js';

export type { TarEntry } from './tar.js';

/** ImageConfig is the runtime part of an OCI image config (Docker's capitalized keys are written). */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  /** exposedPorts like "80/tcp". */
  exposedPorts?: string[];
  user?: string;
  stopSignal?: string;
}

/** OciImageSpec describes an image to write: its reference, layers (bottom first) and config. */
export interface OciImageSpec {
  /** name is the full reference the image is imported under, e.g. skiff.local/pause:3.9. */
  name: string;
  layers: TarEntry[][];
  config: ImageConfig;
  /** architecture defaults to the machine's (amd64, arm64, …). */
  architecture?: string;
}

/** BuiltImage is an OCI image archive and its identifiers. */
export interface BuiltImage {
  /** tar is the OCI image layout as one (uncompressed) tar archive, as `ctr images import` takes it. */
  tar: Buffer;
  /** manifestDigest is sha256:… of the manifest (the image's digest). */
  manifestDigest: string;
  /** configDigest is sha256:… of the config (the image id CRI reports). */
  configDigest: string;
}

const mediaTypes = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** ociArchitecture maps Node's process.arch to the OCI/Go architecture name. */
export function ociArchitecture(arch: string = process.arch): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[arch] ?? arch;
}

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

function configJson(spec: OciImageSpec, diffIds: string[]): Buffer {
  const c = spec.config;
  const runtime: Record<string, unknown> = {};
  if (c.entrypoint) runtime['Entrypoint'] = c.entrypoint;
  if (c.cmd) runtime['Cmd'] = c.cmd;
  runtime['Env'] = c.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
  if (c.workingDir) runtime['WorkingDir'] = c.workingDir;
  if (c.user) runtime['User'] = c.user;
  if (c.stopSignal) runtime['StopSignal'] = c.stopSignal;
  if (c.exposedPorts?.length) runtime['ExposedPorts'] = Object.fromEntries(c.exposedPorts.map((p) => [p, {}]));
  return Buffer.from(JSON.stringify({
    created: '1970-01-01T00:00:00Z',
    architecture: spec.architecture ?? ociArchitecture(),
    os: 'linux',
    config: runtime,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created: '1970-01-01T00:00:00Z', created_by: 'skiff' })),
  }));
}

/** refTag is the tag of a reference (after the last colon that follows the last slash), or latest. */
function refTag(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  const i = last.lastIndexOf(':');
  return i >= 0 ? last.slice(i + 1) : 'latest';
}

/**
 * buildOciImage writes an OCI image layout (oci-layout, index.json, blobs/sha256/…) as a tar:
 * each layer is a gzip'd ustar (parent folders added), the config lists the layers' diff_ids, and
 * index.json names the manifest with `io.containerd.image.name` = spec.name so `ctr images
 * import` tags it. Output is deterministic for the same input.
 */
export function buildOciImage(spec: OciImageSpec): BuiltImage {
  const blobs = new Map<string, Buffer>();
  const add = (b: Buffer): { digest: string; size: number } => {
    const digest = sha256(b);
    blobs.set(digest, b);
    return { digest, size: b.length };
  };
  const diffIds: string[] = [];
  const layers = spec.layers.map((entries) => {
    const raw = tarArchive(withParentDirs(entries));
    diffIds.push(sha256(raw));
    return { mediaType: mediaTypes.layer, ...add(gzipSync(raw, { level: 9 })) };
  });
  const config = { mediaType: mediaTypes.config, ...add(configJson(spec, diffIds)) };
  const manifest = add(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.manifest, config, layers })));
  const index = {
    schemaVersion: 2,
    manifests: [{
      mediaType: mediaTypes.manifest, ...manifest,
      annotations: { 'io.containerd.image.name': spec.name, 'org.opencontainers.image.ref.name': refTag(spec.name) },
    }],
  };
  const entries: TarEntry[] = [
    { type: 'file', path: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', path: 'index.json', data: Buffer.from(JSON.stringify(index)) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    ...[...blobs].map(([d, data]): TarEntry => ({ type: 'file', path: `blobs/sha256/${d.slice('sha256:'.length)}`, data })),
  ];
  return { tar: tarArchive(entries), manifestDigest: manifest.digest, configDigest: config.digest };
}
