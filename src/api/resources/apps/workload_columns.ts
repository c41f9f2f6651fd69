/**
 * Table column definitions and cells shared by the workload printers
 * (pkg/printers/internalversion/printers.go): NAME, AGE, the `-o wide` CONTAINERS / IMAGES
 * columns and label selector cells.
 */
import { labelSelectorFromObject, labelSelectorToString } from '../../labels/selector.js';
import { arr, str } from '../../object.js';
import type { TableColumn } from '../../resource.js';

/** column builds a TableColumn; priority 1 columns show only with `-o wide`. */
export function column(name: string, type: TableColumn['type'], description: string, priority: 0 | 1 = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

/** NAME_COLUMN is the first column of every Table (ObjectMeta.name). */
export const NAME_COLUMN: TableColumn = column(
  'Name',
  'string',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'name',
);

/** AGE_COLUMN is the creation-time column (ObjectMeta.creationTimestamp). */
export const AGE_COLUMN: TableColumn = column(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

/** CONTAINERS_COLUMN is the wide column listing the template's container names. */
export const CONTAINERS_COLUMN: TableColumn = column('Containers', 'string', 'Names of each container in the template.', 1);

/** IMAGES_COLUMN is the wide column listing the template's container images. */
export const IMAGES_COLUMN: TableColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);

/** SELECTOR_DESCRIPTION describes a workload's spec.selector column. */
export const SELECTOR_DESCRIPTION =
  "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.";

/** containerCells returns the comma-joined container names and images of a pod spec (layoutContainerCells). */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = arr(podSpec, 'containers');
  const names = containers.map((c) => str(c, 'name') ?? '');
  const images = containers.map((c) => str(c, 'image') ?? '');
  return [names.join(','), images.join(',')];
}

/** formatSelectorCell renders a metav1.LabelSelector as metav1.FormatLabelSelector does ("<none>" when empty). */
export function formatSelectorCell(sel: unknown): string {
  try {
    return labelSelectorToString(sel);
  } catch {
    return '<error>';
  }
}

/**
 * selectorString renders a LabelSelector as labels.Selector.String() after LabelSelectorAsSelector
 * ("" for a missing or empty selector, "<invalid>" when it does not convert): the Deployment
 * printer's SELECTOR cell and Scale.status.selector.
 */
export function selectorString(sel: unknown): string {
  if (sel === undefined || sel === null) return '';
  try {
    return labelSelectorFromObject(sel).toString();
  } catch {
    return '<invalid>';
  }
}
