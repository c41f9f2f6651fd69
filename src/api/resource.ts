import type { FieldError } from './field_errors.js';
import type { KubeObject } from './types.js';

/** TableColumn is a meta.k8s.io/v1 TableColumnDefinition; priority 0 shows always, 1 only with `-o wide`. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: 0 | 1;
}

/** ScaleAccess reads and writes the replica fields behind a `scale` subresource. */
export interface ScaleAccess {
  specReplicas(obj: KubeObject): number;
  statusReplicas(obj: KubeObject): number;
  /** selector returns the label selector in string form (`a=b,c in (d)`), for Scale.status.selector. */
  selector(obj: KubeObject): string;
  setReplicas(obj: KubeObject, replicas: number): void;
}

/** VersionConverter serves an older API version of a kind by converting to and from the stored version. */
export interface VersionConverter {
  group: string;
  version: string;
  /** toStored converts an object in this version (apiVersion set) into the stored version. */
  toStored(obj: KubeObject): KubeObject;
  /** fromStored converts a stored-version object into this version. */
  fromStored(obj: KubeObject): KubeObject;
  /** inOpenApi: kube-apiserver 1.32 still publishes this version's paths and definitions (autoscaling/v1), so skiff's OpenAPI does too. */
  inOpenApi?: boolean;
  /** validate, when set, replaces the type's validate for writes made in this version (events.k8s.io/v1's stricter rules); obj is in stored shape. */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
}

/** NameRule is how metadata.name is validated: DNS-1123 subdomain (most), label (namespaces, services), or path segment. */
export type NameRule = 'subdomain' | 'label' | 'path';

/**
 * SubresourceStrategy is the update strategy of a subresource that changes one part of an object:
 * prepareForUpdate keeps everything else as stored, validate replaces the type's update validation.
 */
export interface SubresourceStrategy {
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validate(obj: KubeObject, old: KubeObject): FieldError[];
}

/**
 * ResourceType describes one REST resource: its names, its strategy (defaults, validation,
 * create/update preparation) and how it prints as a Table. The API server is generic over these.
 */
export interface ResourceType {
  group: string;
  /** version is the stored and preferred version. */
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  nameRule: NameRule;
  /** hasStatus: a `status` subresource exists; the main endpoint keeps the old status, /status keeps the old spec. */
  hasStatus: boolean;
  /** tracksGeneration: metadata.generation starts at 1 and moves when anything but metadata and status changes. */
  tracksGeneration: boolean;
  /**
   * verbs, when set, are the only verbs served (discovery shows them); create-only review types
   * (SubjectAccessReview, TokenReview…) are answered by a creator registered on the ApiCore and never stored.
   */
  verbs?: string[];
  /** subresources beyond status: 'scale', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy'. */
  subresources: string[];
  scale?: ScaleAccess;
  /** otherVersions: further served versions, converted (e.g. networking.k8s.io/v1beta1 Ingress). */
  otherVersions?: VersionConverter[];
  /** defaults fills in defaulted fields in place, as kube-apiserver's defaulting does. */
  defaults(obj: KubeObject): void;
  /**
   * validate checks an object after defaulting: on create `old` is undefined, on update it is the
   * stored object (immutable fields, allowed transitions). ObjectMeta is validated generically.
   */
  validate(obj: KubeObject, old?: KubeObject): FieldError[];
  /** prepareForCreate resets what a client may not set on create (e.g. status), in place. */
  prepareForCreate?(obj: KubeObject): void;
  /** prepareForUpdate adjusts an update in place given the stored object. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** subresourceStrategies serve updates through subresources that change one part of the object (pods/ephemeralcontainers). */
  subresourceStrategies?: Record<string, SubresourceStrategy>;
  /** columns are the Table columns, in kube-apiserver's order, the first being NAME. */
  columns: TableColumn[];
  /** row returns one Table row's cells, matching columns; now (ms) is for AGE cells. */
  row(obj: KubeObject, now: number): unknown[];
  /** fieldLabels returns the field selector labels beyond metadata.name and metadata.namespace. */
  fieldLabels?(obj: KubeObject): Record<string, string>;
}
