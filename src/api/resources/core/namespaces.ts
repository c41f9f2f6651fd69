import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, ensureObj, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import type { KubeObject } from '../../types.js';
import { isQualifiedName } from '../../validation/names.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf } from './core_table.js';

/** NAMESPACE_NAME_LABEL is the label every namespace carries with its own name (kubernetes.io/metadata.name). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateFinalizerName checks a spec.finalizers entry: qualified, and standard when it has no prefix. */
function validateFinalizerName(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string') return [fieldErr.typeInvalid(path, v, 'must be a string')];
  const errs = isQualifiedName(v).map((m) => fieldErr.invalid(path, v, m));
  if (!v.includes('/') && !standardFinalizers.has(v)) {
    errs.push(fieldErr.invalid(path, v, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/** setNameLabel keeps the kubernetes.io/metadata.name label equal to the namespace's name. */
function setNameLabel(obj: KubeObject): void {
  const name = obj.metadata.name;
  if (!name) return;
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

/**
 * namespaces (v1 Namespace, cluster-scoped, short name `ns`): spec.finalizers starts as ["kubernetes"]
 * and status.phase as Active; spec.finalizers only change through the finalize subresource.
 */
export const namespaces: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  nameRule: 'label',
  hasStatus: true,
  tracksGeneration: false,
  subresources: ['finalize'],
  defaults(obj) {
    setDefault(ensureObj(obj, 'status'), 'phase', 'Active');
    setNameLabel(obj);
  },
  validate(obj) {
    return arr(obj, 'spec', 'finalizers').flatMap((f) => validateFinalizerName(f, 'spec.finalizers'));
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    const spec = ensureObj(obj, 'spec');
    const finalizers = arr(obj, 'spec', 'finalizers');
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
    setNameLabel(obj);
  },
  prepareForUpdate(obj, old) {
    // Finalizers move only through /finalize; a plain update keeps the stored ones.
    const oldFinalizers = arr(old, 'spec', 'finalizers');
    const spec = ensureObj(obj, 'spec');
    if (oldFinalizers.length) spec.finalizers = [...oldFinalizers];
    else delete spec.finalizers;
    setNameLabel(obj);
  },
  columns: [NAME_COLUMN, column('Status', 'The status of the namespace'), AGE_COLUMN],
  row(obj, now) {
    return [nameOf(obj), str(obj, 'status', 'phase') ?? '', ageOf(obj, now)];
  },
  fieldLabels(obj) {
    return { 'status.phase': str(obj, 'status', 'phase') ?? '' };
  },
};
