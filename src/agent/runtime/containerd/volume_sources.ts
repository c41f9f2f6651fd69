import type { KubeObject } from '../../../api/types.js';
import { arr, field, num, objAt, str } from '../../../api/object.js';
import type { FileEntry } from './atomic_writer.js';
import type { ClaimLookups } from './claim_source.js';
import { downwardField, resourceFieldValue, type NodeAllocatable } from './downward.js';
import { objectData, type ObjectLookup } from './env.js';

/** VolumeContext is what volumes read: the pod, file sources, and the claims and PVs behind claim-backed volumes. */
export interface VolumeContext extends ClaimLookups {
  pod: KubeObject;
  podIP: string;
  hostIP: string;
  allocatable: NodeAllocatable;
  getConfigMap: ObjectLookup;
  getSecret: ObjectLookup;
  /** token returns a (cached) service account token; undefined skips token files. */
  token?: (audience: string, expirationSeconds: number) => Promise<string>;
}

/** VolumeError is a volume that cannot be set up (event FailedMount; containers wait). */
export class VolumeError extends Error {
  override name = 'VolumeError';
}

const DEFAULT_MODE = 0o644;

/** keyedFiles renders a ConfigMap or Secret source (all keys, or `items`) into files. */
async function keyedFiles(ctx: VolumeContext, kind: 'ConfigMap' | 'Secret', src: unknown, defaultMode: number, out: Map<string, FileEntry>): Promise<void> {
  const name = str(src, kind === 'ConfigMap' ? 'name' : 'secretName') ?? str(src, 'name') ?? '';
  const optional = field(src, 'optional') === true;
  const ns = ctx.pod.metadata.namespace ?? '';
  const obj = await (kind === 'ConfigMap' ? ctx.getConfigMap : ctx.getSecret)(ns, name);
  if (!obj) {
    if (optional) return;
    throw new VolumeError(`${kind.toLowerCase()} "${name}" not found`);
  }
  const data = objectData(obj, kind);
  const items = arr(src, 'items');
  if (items.length === 0) {
    for (const [k, v] of data) out.set(k, { data: v, mode: defaultMode });
    return;
  }
  for (const it of items) {
    const key = str(it, 'key') ?? '';
    const v = data.get(key);
    if (v === undefined) {
      if (optional) continue;
      throw new VolumeError(`${kind === 'ConfigMap' ? 'configmap' : 'secret'} references non-existent ${kind === 'ConfigMap' ? 'config' : 'secret'} key: ${key}`);
    }
    out.set(str(it, 'path') ?? key, { data: v, mode: num(it, 'mode') ?? defaultMode });
  }
}

function downwardFiles(ctx: VolumeContext, src: unknown, defaultMode: number, out: Map<string, FileEntry>): void {
  for (const it of arr(src, 'items')) {
    const path = str(it, 'path') ?? '';
    const fieldPath = str(it, 'fieldRef', 'fieldPath');
    let value: string | undefined;
    if (fieldPath !== undefined) value = downwardField(ctx.pod, fieldPath, ctx.podIP, ctx.hostIP);
    else if (objAt(it, 'resourceFieldRef')) {
      const cname = str(it, 'resourceFieldRef', 'containerName');
      const c = arr(ctx.pod, 'spec', 'containers').find((x) => str(x, 'name') === cname);
      value = resourceFieldValue(c, objAt(it, 'resourceFieldRef'), ctx.allocatable);
    }
    if (value !== undefined) out.set(path, { data: Buffer.from(value), mode: num(it, 'mode') ?? defaultMode });
  }
}

/**
 * volumeFiles returns the files of a configMap, secret, downwardAPI or projected volume (paths
 * relative to the volume), or undefined for other volume types. Missing non-optional sources
 * throw VolumeError with the kubelet's message.
 */
export async function volumeFiles(ctx: VolumeContext, volume: unknown): Promise<Map<string, FileEntry> | undefined> {
  const out = new Map<string, FileEntry>();
  const cm = objAt(volume, 'configMap');
  const secret = objAt(volume, 'secret');
  const dapi = objAt(volume, 'downwardAPI');
  const projected = objAt(volume, 'projected');
  if (cm) await keyedFiles(ctx, 'ConfigMap', cm, num(cm, 'defaultMode') ?? DEFAULT_MODE, out);
  else if (secret) await keyedFiles(ctx, 'Secret', secret, num(secret, 'defaultMode') ?? DEFAULT_MODE, out);
  else if (dapi) downwardFiles(ctx, dapi, num(dapi, 'defaultMode') ?? DEFAULT_MODE, out);
  else if (projected) {
    const mode = num(projected, 'defaultMode') ?? DEFAULT_MODE;
    for (const src of arr(projected, 'sources')) {
      if (objAt(src, 'configMap')) await keyedFiles(ctx, 'ConfigMap', objAt(src, 'configMap'), mode, out);
      else if (objAt(src, 'secret')) await keyedFiles(ctx, 'Secret', objAt(src, 'secret'), mode, out);
      else if (objAt(src, 'downwardAPI')) downwardFiles(ctx, objAt(src, 'downwardAPI'), mode, out);
      else if (objAt(src, 'serviceAccountToken') && ctx.token) {
        const t = objAt(src, 'serviceAccountToken');
        const token = await ctx.token(str(t, 'audience') ?? '', num(t, 'expirationSeconds') ?? 3600);
        out.set(str(t, 'path') ?? 'token', { data: Buffer.from(token), mode });
      }
    }
  } else return undefined;
  return out;
}
