import type { GroupVersionKind } from './definitions.js';

/** OpenApiResource describes one served resource for the OpenAPI documents. */
export interface OpenApiResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  subresources: string[];
  hasStatus: boolean;
  verbs: string[];
}

/** Param is one operation parameter in a form both v2 and v3 documents are rendered from. */
export interface Param {
  name: string;
  in: 'query' | 'path' | 'body';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
  /** schema names the definition of a body parameter. */
  schema?: string;
}

/** Operation is one HTTP method on one path, named and annotated as kube-apiserver does. */
export interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  operationId: string;
  description: string;
  action: string;
  gvk: GroupVersionKind;
  params: Param[];
  /** responses maps status codes to a definition name ('' for no schema). */
  responses: Record<string, string>;
  consumes: string[];
  produces: string[];
  tag: string;
}

/** PathEntry is one path with its shared parameters and operations. */
export interface PathEntry {
  path: string;
  params: Param[];
  ops: Operation[];
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });
const PRETTY = q('pretty', 'string', "If 'true', then the output is pretty printed.");
const DRY_RUN = q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict');
const WRITE = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
const LIST = [
  q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  q('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
];
const DELETE = [
  DRY_RUN,
  q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.'),
  q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
];
const body = (schema: string, required = true): Param => ({ name: 'body', in: 'body', type: 'string', description: '', required, schema });

/** PATCH_TYPES are the patch content types kube-apiserver accepts. */
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_PRODUCES = [...PRODUCES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

/** BODY_PARAMS are the shared parameter lists and content types of resource operations. */
export const BODY_PARAMS = { PRETTY, WRITE, LIST, DELETE, PRODUCES, WATCH_PRODUCES, body };

/** groupVersionPath is the URL prefix of a group-version without the leading slash: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** operationPrefix is the group-version part of operation ids: CoreV1, AppsV1, NetworkingV1, RbacAuthorizationV1. */
export function operationPrefix(group: string, version: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return g.split('.').map(cap).join('') + cap(version);
}

/** DefinitionNames resolves a kind's definition name; undefined when the kind has no schema. */
export type DefinitionNames = (gvk: GroupVersionKind) => string | undefined;
