import { arr } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf } from './core_table.js';

/** serviceaccounts (v1 ServiceAccount, `sa`): an identity for pods; only ObjectMeta is validated, as upstream. */
export const serviceaccounts: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: ['token'],
  defaults() {},
  validate() {
    return [];
  },
  columns: [NAME_COLUMN, column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COLUMN],
  row(obj, now) {
    return [nameOf(obj), arr(obj, 'secrets').length, ageOf(obj, now)];
  },
};
