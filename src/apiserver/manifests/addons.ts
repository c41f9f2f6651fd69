import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { Transport } from '../../api/transport.js';
import type { ObjectRef } from './apply.js';

/** ADDON_NAMESPACE holds the addon records, where k3s keeps its Addon objects. */
export const ADDON_NAMESPACE = 'kube-system';

/** ADDON_LABEL marks a record ConfigMap with its addon name. */
export const ADDON_LABEL = 'skiff.io/addon';

/** AddonRecord is what one manifest file last deployed (k3s's Addon spec and status). */
export interface AddonRecord {
  /** source is the file's path. */
  source: string;
  /** checksum is the sha256 of the file content last applied in full ('' when the last pass failed). */
  checksum: string;
  /** objects are all objects the file applied and that were not pruned since. */
  objects: ObjectRef[];
}

/** recordName is the ConfigMap that holds the addon's record. */
export function recordName(addon: string): string {
  return `skiff-addon-${addon}`;
}

const configMaps = { group: '', version: 'v1', resource: 'configmaps', namespace: ADDON_NAMESPACE };

function parseObjects(raw: string | undefined): ObjectRef[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? (v as ObjectRef[]).filter((r) => typeof r?.kind === 'string' && typeof r?.name === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * AddonRecords keeps one ConfigMap per manifest file in kube-system. Kept in the API (not the
 * data dir) so that servers sharing a datastore agree on what each file created, and `kubectl
 * get configmaps -n kube-system -l skiff.io/addon` shows it; it holds references only, never the
 * objects' content, so a ConfigMap (not a Secret) is enough.
 */
export class AddonRecords {
  constructor(private readonly transport: Transport) {}

  /** get reads an addon's record; undefined when there is none. */
  async get(addon: string): Promise<AddonRecord | undefined> {
    try {
      const cm = (await this.transport.request({ verb: 'get', ...configMaps, name: recordName(addon) })) as KubeObject;
      const data = (cm['data'] ?? {}) as Record<string, string>;
      return { source: data['source'] ?? '', checksum: data['checksum'] ?? '', objects: parseObjects(data['objects']) };
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return undefined;
      throw e;
    }
  }

  /** put writes an addon's record (create or replace). */
  async put(addon: string, record: AddonRecord): Promise<void> {
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: recordName(addon), namespace: ADDON_NAMESPACE, labels: { [ADDON_LABEL]: addon, 'app.kubernetes.io/managed-by': 'skiff' } },
      data: { source: record.source, checksum: record.checksum, objects: JSON.stringify(record.objects) },
    };
    try {
      await this.transport.request({ verb: 'create', ...configMaps, body });
    } catch (e) {
      if (!isStatusError(e) || e.code !== 409) throw e;
      await this.transport.request({ verb: 'patch', ...configMaps, name: recordName(addon), patchType: 'merge', body: { metadata: { labels: body.metadata.labels }, data: body['data'] } });
    }
  }

  /** delete drops an addon's record; already gone is fine. */
  async delete(addon: string): Promise<void> {
    try {
      await this.transport.request({ verb: 'delete', ...configMaps, name: recordName(addon) });
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) throw e;
    }
  }
}
