import type { UserInfo } from './auth.js';
import type { ServedResource } from './registry.js';

/** FieldValidation is the `fieldValidation` query parameter. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Scope is one request's target and options, shared by HTTP handlers and the in-process client. */
export interface Scope {
  served: ServedResource;
  namespace: string;
  subresource: string;
  user: UserInfo;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** warnings collects messages for the `Warning` response header. */
  warnings: string[];
}

/** ListOptions are a LIST or WATCH's query parameters. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

/** DeleteOptions are meta/v1 DeleteOptions (from the body or the query). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}
