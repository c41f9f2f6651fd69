import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors, isStatusError, type Status } from '../api/errors.js';
import { isObject } from '../api/types.js';
import { decodeKubeProtobuf, isProtobufContentType } from './protobuf/index.js';

/** MAX_BODY_BYTES is kube-apiserver's request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * readBody reads the request body, refusing bodies over the limit with 413 (the rest of the body is
 * drained). It rejects when the request fails or closes before its end.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.reject(errors.requestEntityTooLarge(`Request entity too large: limit is ${limit}`));
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // Plain listeners rather than an async iterator: this runs once per write request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (b: Buffer): void => {
      size += b.length;
      if (size <= limit) {
        chunks.push(b);
        return;
      }
      done();
      req.resume();
      reject(errors.requestEntityTooLarge(`Request entity too large: limit is ${limit}`));
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const onClose = (): void => {
      done();
      reject(new Error('the request was closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** decodeBody parses a JSON or YAML body into an object, with kube-apiserver's 400 messages. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (isProtobufContentType(ct)) return decodeKubeProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
  if (ct.includes('yaml')) {
    try {
      return parseYaml(text, { maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (ct.includes('protobuf') || ct.includes('cbor')) throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** decodeObjectBody is decodeBody that also requires a JSON object. */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const v = decodeBody(body, contentType);
  if (!isObject(v)) throw errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  return v;
}

/** writeJSON sends a JSON response. */
export function writeJSON(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** writeStatus sends a Status; unknown errors become 500 InternalError without leaking stacks. */
export function writeError(res: ServerResponse, err: unknown): void {
  let status: Status;
  if (isStatusError(err)) status = err.status;
  else status = errors.internal((err as Error)?.message ?? String(err)).status;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A 429 (or 503) that says when to come back also says it in the header clients read.
  const retry = status.details?.retryAfterSeconds;
  writeJSON(res, status.code, status, retry ? { 'Retry-After': String(retry) } : undefined);
}

/** warningHeader formats RFC 7234 Warning headers as kube-apiserver sends them. */
export function warningHeader(warnings: string[]): string[] {
  return warnings.map((w) => `299 - ${JSON.stringify(w)}`);
}
