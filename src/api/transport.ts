import type { KubeObject } from './types.js';

/** PatchKind names the three PATCH body types. */
export type PatchKind = 'json' | 'merge' | 'strategic';

/** ApiRequest is one non-watch API call, independent of how it travels (HTTPS or in-process). */
export interface ApiRequest {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  group: string;
  version: string;
  /** resource is the plural name, e.g. "pods". */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  body?: unknown;
  patchType?: PatchKind;
  /** query holds list options, delete options (gracePeriodSeconds, propagationPolicy), dryRun, … */
  query?: Record<string, string>;
}

/** WatchRequest starts a watch on a resource (optionally one namespace). */
export interface WatchRequest {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  query?: Record<string, string>;
}

/** WatchMessage is one watch event as the API sends it. */
export interface WatchMessage {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/**
 * Transport carries API calls: over HTTPS for agents, or straight into the API server's request
 * chain for the server's own controllers. Failures reject with a StatusError (src/api/errors.ts).
 */
export interface Transport {
  request(req: ApiRequest): Promise<unknown>;
  /** watch calls onEvent per event until stopped or the server ends it (onClose, with the error if any). */
  watch(req: WatchRequest, onEvent: (e: WatchMessage) => void, onClose: (err?: Error) => void): Promise<() => void>;
}
