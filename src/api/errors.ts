import { fieldErrorMessage, type FieldError } from './field_errors.js';

/** StatusCause is one cause inside Status.details. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** Status is the meta/v1 Status object the API returns for errors (and some deletes). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** StatusError carries a Status to the API boundary; every expected API failure is one. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** Names an object for messages: kind is lowercase plural resource plus group, e.g. `deployments.apps`. */
export interface Qualified {
  group: string;
  /** resource is the plural name, used in NotFound/AlreadyExists messages. */
  resource: string;
  /** kind is used in Invalid messages ("Deployment.apps \"x\" is invalid"). */
  kind?: string;
}

function qualifiedResource(q: Qualified): string {
  return q.group ? `${q.resource}.${q.group}` : q.resource;
}

function make(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

/** Constructors mirroring k8s.io/apimachinery/pkg/api/errors. */
export const errors = {
  notFound: (q: Qualified, name: string) =>
    make(404, 'NotFound', `${qualifiedResource(q)} "${name}" not found`, { name, group: q.group, kind: q.resource }),
  alreadyExists: (q: Qualified, name: string) =>
    make(409, 'AlreadyExists', `${qualifiedResource(q)} "${name}" already exists`, { name, group: q.group, kind: q.resource }),
  conflict: (q: Qualified, name: string, why: string) =>
    make(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(q)} "${name}": ${why}`, {
      name,
      group: q.group,
      kind: q.resource,
    }),
  invalid: (q: Qualified & { kind: string }, name: string, errs: FieldError[]) => {
    const kindName = q.group ? `${q.kind}.${q.group}` : q.kind;
    const msgs = errs.map((e) => fieldErrorMessage(e));
    const summary = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
    return make(422, 'Invalid', `${kindName} "${name}" is invalid: ${summary}`, {
      name,
      group: q.group,
      kind: q.kind,
      causes: errs.map((e) => ({ reason: e.type, message: fieldErrorMessage(e, false), field: e.field })),
    });
  },
  badRequest: (message: string) => make(400, 'BadRequest', message),
  /** notFoundPath: the URL names nothing the server serves. */
  notFoundPath: (_path: string) => make(404, 'NotFound', 'the server could not find the requested resource', {}),
  unauthorized: (message = 'Unauthorized') => make(401, 'Unauthorized', message),
  forbidden: (message: string) => make(403, 'Forbidden', message),
  methodNotSupported: (q: Qualified, verb: string) =>
    make(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedResource(q)}"`, {
      group: q.group,
      kind: q.resource,
    }),
  notAcceptable: (message: string) => make(406, 'NotAcceptable', message),
  gone: (message: string) => make(410, 'Expired', message),
  requestEntityTooLarge: (message: string) => make(413, 'RequestEntityTooLarge', message),
  unsupportedMediaType: (message: string) => make(415, 'UnsupportedMediaType', message),
  /** tooManyRequests: a positive retryAfterSeconds also goes out as Retry-After, which client-go obeys by retrying on its own. */
  tooManyRequests: (message: string, retryAfterSeconds = 0) => make(429, 'TooManyRequests', message, retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  internal: (message: string) => make(500, 'InternalError', `Internal error occurred: ${message}`),
  timeout: (message: string) => make(504, 'Timeout', message),
  serviceUnavailable: (message: string) => make(503, 'ServiceUnavailable', message),
};

/** isStatusError narrows an unknown thrown value. */
export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
