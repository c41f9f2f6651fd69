import { fieldErr, type FieldError } from '../../field_errors.js';
import { field, str } from '../../object.js';
import { QUANTITY_PATTERN, parseQuantity } from './quantity.js';
import { isDNS1123Subdomain } from '../../validation/names.js';

/** Helpers shared by PersistentVolume and PersistentVolumeClaim: access modes, storage quantities, class names. */

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const SHORT_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** VOLUME_MODES are the supported volumeMode values. */
export const VOLUME_MODES = ['Block', 'Filesystem'];

/** STORAGE_CLASS_ANNOTATION is the beta annotation that takes precedence over storageClassName. */
export const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** accessModesString renders access modes as the printers do: `RWO,ROX,RWX,RWOP` order, duplicates dropped. */
export function accessModesString(modes: unknown[]): string {
  return SHORT_MODES.filter(([long]) => modes.includes(long)).map(([, short]) => short).join(',');
}

/** validateAccessModes checks values and that ReadWriteOncePod is not combined with other modes. */
export function validateAccessModes(modes: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (typeof m !== 'string' || !ACCESS_MODES.includes(m)) errs.push(fieldErr.notSupported(path, m, ACCESS_MODES));
    else if (m === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(fieldErr.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** validatePositiveQuantity checks a quantity parses and is greater than zero. */
export function validatePositiveQuantity(v: unknown, path: string): FieldError[] {
  const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
  if (n === undefined) return [fieldErr.invalid(path, v ?? '', `quantities must match the regular expression '${QUANTITY_PATTERN}'`)];
  return n > 0 ? [] : [fieldErr.invalid(path, String(v), 'must be greater than zero')];
}

/** validateVolumeMode checks spec.volumeMode when set. */
export function validateVolumeMode(obj: unknown): FieldError[] {
  const mode = field(obj, 'spec', 'volumeMode');
  return mode == null || VOLUME_MODES.includes(String(mode)) ? [] : [fieldErr.notSupported('spec.volumeMode', mode, VOLUME_MODES)];
}

/** validateClassName checks spec.storageClassName (a DNS-1123 subdomain) when non-empty. */
export function validateClassName(obj: unknown): FieldError[] {
  const name = str(obj, 'spec', 'storageClassName') ?? '';
  return name ? isDNS1123Subdomain(name).map((m) => fieldErr.invalid('spec.storageClassName', name, m)) : [];
}

/** storageClassOf returns the class of a PV or PVC: the beta annotation first, then spec.storageClassName. */
export function storageClassOf(obj: { metadata: { annotations?: Record<string, string> } }): string {
  const ann = obj.metadata.annotations?.[STORAGE_CLASS_ANNOTATION];
  return ann ?? str(obj, 'spec', 'storageClassName') ?? '';
}

/** quantityCell renders a quantity for a Table cell ("0" when unset, as a zero Quantity prints). */
export function quantityCell(v: unknown): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return '0';
}

