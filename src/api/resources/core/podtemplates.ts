import { arr, objAt, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { mapToSelectorString } from '../../table/format.js';
import { isObject } from '../../types.js';
import { validatePodTemplateSpec } from './pod_spec.js';
import { defaultPodTemplateSpec } from './pod_spec_defaults.js';
import { NAME_COLUMN, column, nameOf, stringMap } from './core_table.js';

/** podtemplates (v1 PodTemplate): a stored pod template; defaults and validation are those of a pod template spec. */
export const podtemplates: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    if (!isObject(obj.template)) obj.template = {};
    if (isObject(obj.template)) defaultPodTemplateSpec(obj.template);
  },
  validate(obj) {
    return validatePodTemplateSpec(obj.template, 'template');
  },
  columns: [
    NAME_COLUMN,
    column('Containers', 'Names of each container in the template.'),
    column('Images', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'The labels for the pod template.'),
  ],
  row(obj) {
    const containers = arr(obj, 'template', 'spec', 'containers');
    const names = containers.map((c) => str(c, 'name') ?? '').join(',');
    const images = containers.map((c) => str(c, 'image') ?? '').join(',');
    const labels = objAt(obj, 'template', 'metadata', 'labels');
    return [nameOf(obj), names, images, mapToSelectorString(labels ? stringMap(labels) : undefined)];
  },
};

