/**
 * The review types of authorization.k8s.io/v1 (access reviews) and authentication.k8s.io/v1
 * (SelfSubjectReview, `kubectl auth whoami`): create-only, answered by the API server and never stored.
 */
import type { ResourceType } from '../../resource.js';
import { NAME_COLUMN } from '../apps/workload_columns.js';

/** reviewType describes a create-only review resource. */
export function reviewType(group: string, kind: string, namespaced = false): ResourceType {
  const plural = `${kind.toLowerCase()}s`;
  return {
    group,
    version: 'v1',
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    nameRule: 'subdomain',
    hasStatus: false,
    tracksGeneration: false,
    subresources: [],
    verbs: ['create'],
    defaults: () => {},
    validate: () => [],
    columns: [NAME_COLUMN],
    row: (obj) => [obj.metadata.name ?? ''],
  };
}

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

/** authorizationResources lists the access reviews and SelfSubjectReview. */
export const authorizationResources: ResourceType[] = [
  reviewType(AUTHORIZATION_GROUP, 'SelfSubjectAccessReview'),
  reviewType(AUTHORIZATION_GROUP, 'SelfSubjectRulesReview'),
  reviewType(AUTHORIZATION_GROUP, 'SubjectAccessReview'),
  reviewType(AUTHORIZATION_GROUP, 'LocalSubjectAccessReview', true),
  reviewType('authentication.k8s.io', 'SelfSubjectReview'),
];
