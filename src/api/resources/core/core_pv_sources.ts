import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, objAt, str } from '../../object.js';
import { isObject } from '../../types.js';

/** The volume sources of a PersistentVolume: exactly one is required; the common ones are checked in detail. */

const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local',
  'storageos', 'csi',
];

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validatePathNoBacksteps(p: string, path: string): FieldError[] {
  return p.split(/[\\/]/).includes('..') ? [fieldErr.invalid(path, p, "must not contain '..'")] : [];
}

function validateSource(kind: string, src: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = str(src, 'path') ?? '';
  switch (kind) {
    case 'hostPath': {
      if (p === '') errs.push(fieldErr.required(`${path}.path`));
      else errs.push(...validatePathNoBacksteps(p, `${path}.path`));
      const type = field(src, 'type');
      if (type != null && (typeof type !== 'string' || !HOST_PATH_TYPES.includes(type))) errs.push(fieldErr.notSupported(`${path}.type`, type, HOST_PATH_TYPES));
      break;
    }
    case 'local':
      if (p === '') errs.push(fieldErr.required(`${path}.path`));
      else errs.push(...validatePathNoBacksteps(p, `${path}.path`));
      break;
    case 'nfs':
      if (!str(src, 'server')) errs.push(fieldErr.required(`${path}.server`));
      if (p === '') errs.push(fieldErr.required(`${path}.path`));
      else if (!p.startsWith('/')) errs.push(fieldErr.invalid(`${path}.path`, p, 'must be an absolute path'));
      break;
    case 'csi':
      if (!str(src, 'driver')) errs.push(fieldErr.required(`${path}.driver`));
      if (!str(src, 'volumeHandle')) errs.push(fieldErr.required(`${path}.volumeHandle`));
      break;
  }
  return errs;
}

/** validatePVSource checks that spec names exactly one volume source, and the fields of the common ones. */
export function validatePVSource(obj: unknown): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of PV_SOURCES) {
    if (!isObject(spec[kind])) continue;
    if (count > 0) {
      errs.push(fieldErr.forbidden(`spec.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSource(kind, spec[kind], `spec.${kind}`));
  }
  if (count === 0) errs.push(fieldErr.required('spec', 'must specify a volume type'));
  if (isObject(spec.local) && !isObject(spec.nodeAffinity)) errs.push(fieldErr.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  const hostPath = str(spec, 'hostPath', 'path');
  if (hostPath !== undefined && hostPath.replace(/\/+$/, '') === '' && hostPath.startsWith('/') && spec.persistentVolumeReclaimPolicy === 'Recycle') {
    errs.push(fieldErr.forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  return errs;
}

/** validatePVSourceUpdate: the volume source may not change after creation. */
export function validatePVSourceUpdate(obj: unknown, old: unknown): FieldError[] {
  const source = (o: unknown): string => JSON.stringify(PV_SOURCES.map((k) => field(o, 'spec', k) ?? null));
  return source(obj) === source(old) ? [] : [fieldErr.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation')];
}
