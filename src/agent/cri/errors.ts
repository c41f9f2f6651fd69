/**
 * Errors of the CRI client. The gRPC status of a failed call picks the class; `code` keeps the
 * numeric gRPC status code and `method` the CRI method that failed.
 */

/** CriError is any failed CRI call; `code` is the gRPC status code (2 Unknown when not from gRPC). */
export class CriError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'CriError';
  }
}

/** CriNotFoundError means the sandbox, container or image does not exist (gRPC NotFound). */
export class CriNotFoundError extends CriError {
  override name = 'CriNotFoundError';
}

/** CriAlreadyExistsError means a sandbox/container with that name exists (gRPC AlreadyExists). */
export class CriAlreadyExistsError extends CriError {
  override name = 'CriAlreadyExistsError';
}

/** CriTimeoutError means the call exceeded its deadline (gRPC DeadlineExceeded). */
export class CriTimeoutError extends CriError {
  override name = 'CriTimeoutError';
}

/** CriUnavailableError means the runtime socket does not answer (gRPC Unavailable). */
export class CriUnavailableError extends CriError {
  override name = 'CriUnavailableError';
}

/** CriUnimplementedError means the runtime does not implement the method (gRPC Unimplemented). */
export class CriUnimplementedError extends CriError {
  override name = 'CriUnimplementedError';
}

/** grpcCodes are the gRPC status codes the mapping looks at. */
export const grpcCodes = {
  deadlineExceeded: 4,
  notFound: 5,
  alreadyExists: 6,
  unimplemented: 12,
  unavailable: 14,
} as const;

/** criErrorFromStatus builds the typed error for a failed call's gRPC code and details text. */
export function criErrorFromStatus(method: string, code: number, details: string): CriError {
  const msg = `CRI ${method}: ${details}`;
  switch (code) {
    case grpcCodes.notFound:
      return new CriNotFoundError(msg, method, code);
    case grpcCodes.alreadyExists:
      return new CriAlreadyExistsError(msg, method, code);
    case grpcCodes.deadlineExceeded:
      return new CriTimeoutError(msg, method, code);
    case grpcCodes.unavailable:
      return new CriUnavailableError(msg, method, code);
    case grpcCodes.unimplemented:
      return new CriUnimplementedError(msg, method, code);
    default:
      return new CriError(msg, method, code);
  }
}

/** isCriNotFound reports whether e is a CriNotFoundError (also when containerd says "not found" with another code). */
export function isCriNotFound(e: unknown): boolean {
  return e instanceof CriNotFoundError || (e instanceof CriError && /not found/i.test(e.message) && e.code === 2);
}
