// Unary gRPC over HTTP/2 on a unix socket, on node:http2 alone. CRI needs nothing more (no
// streaming calls, no TLS), and @grpc/grpc-js costs an agent ~6 MB RSS for features it never uses.
import { connect as http2Connect, constants as h2, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { connect as netConnect } from 'node:net';

/** GrpcStatusError is a failed call: a gRPC status code (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) and its details text. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
  }
}

const status = { unknown: 2, deadlineExceeded: 4, resourceExhausted: 8, unimplemented: 12, internal: 13, unavailable: 14 } as const;

/** statusFromHttp maps a non-200 HTTP status to a gRPC code, as the gRPC HTTP/2 spec says. */
function statusFromHttp(code: number): number {
  const map: Record<number, number> = { 400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14 };
  return map[code] ?? status.unknown;
}

/** timeoutHeader renders a grpc-timeout value: at most 8 digits and a unit. */
function timeoutHeader(ms: number): string {
  const m = Math.max(1, Math.ceil(ms));
  return m < 1e8 ? `${m}m` : `${Math.min(99_999_999, Math.ceil(m / 1000))}S`;
}

/** frame prefixes a message with gRPC's length-prefixed framing (uncompressed). */
function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out.writeUInt8(0, 0);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** callStatus reads grpc-status/grpc-message from trailers (or a trailers-only response's headers). */
function callStatus(h: IncomingHttpHeaders): { code: number; details: string } | undefined {
  const raw = h['grpc-status'];
  if (raw === undefined) return undefined;
  const message = h['grpc-message'];
  let details = typeof message === 'string' ? message : '';
  try {
    details = decodeURIComponent(details);
  } catch {
    // Not percent-encoded after all: keep it as sent.
  }
  const code = Number(raw);
  return { code: Number.isInteger(code) ? code : status.unknown, details };
}

/** GrpcChannelOptions configure a GrpcChannel. */
export interface GrpcChannelOptions {
  /** socket is the server's unix socket path. */
  socket: string;
  /** maxReceiveBytes bounds one response message; larger ones fail with RESOURCE_EXHAUSTED. */
  maxReceiveBytes: number;
}

/**
 * GrpcChannel makes unary gRPC calls over one HTTP/2 connection to a unix socket. It connects on
 * the first call and again after the connection fails or closes; a connection that cannot be made
 * fails the call with UNAVAILABLE at once (no waiting for readiness). Every call has a deadline,
 * sent as grpc-timeout and enforced locally (DEADLINE_EXCEEDED). Failures reject with
 * GrpcStatusError. An idle channel does not keep the process alive.
 */
export class GrpcChannel {
  private session: ClientHttp2Session | undefined;
  private active = 0;
  private closed = false;

  constructor(private readonly opts: GrpcChannelOptions) {}

  /** connection returns the open session, opening one when there is none (or it failed). */
  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2Connect('http://localhost', { createConnection: () => netConnect(this.opts.socket), maxSessionMemory: 64 });
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    // A failed or closed connection is replaced on the next call; its calls fail through their streams.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    this.session = session;
    return session;
  }

  /** unary sends request (an encoded message) to path (`/package.Service/Method`) and resolves with the response message bytes. */
  unary(path: string, request: Uint8Array, timeoutMs: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new GrpcStatusError(status.unavailable, 'channel closed'));
    const session = this.connection();
    this.active++;
    session.ref();
    return new Promise<Buffer>((resolve, reject) => this.run(session, path, request, timeoutMs, resolve, reject)).finally(() => {
      this.active--;
      // Why: grpc-js lets an idle channel's connection not hold the event loop open; so do we.
      if (this.active === 0 && !session.destroyed) session.unref();
    });
  }

  private run(session: ClientHttp2Session, path: string, request: Uint8Array, timeoutMs: number, resolve: (b: Buffer) => void, reject: (e: Error) => void): void {
    const stream = session.request({
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: path,
      [h2.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      [h2.HTTP2_HEADER_TE]: 'trailers',
      'grpc-timeout': timeoutHeader(timeoutMs),
    });
    let settled = false;
    const fail = (code: number, details: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.close(h2.NGHTTP2_CANCEL);
      reject(new GrpcStatusError(code, details));
    };
    const timer = setTimeout(() => fail(status.deadlineExceeded, 'Deadline exceeded'), timeoutMs);
    const body = new ResponseBody(this.opts.maxReceiveBytes);
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    stream.on('response', (h) => (headers = h));
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (chunk: Buffer) => {
      const err = body.push(chunk);
      if (err) fail(err.code, err.details);
    });
    stream.on('error', (e: Error) => fail(status.unavailable, e.message));
    stream.on('close', () => {
      if (settled) return;
      const http = Number(headers[h2.HTTP2_HEADER_STATUS] ?? 0);
      if (http !== 200) return fail(http === 0 ? status.unavailable : statusFromHttp(http), http === 0 ? `stream closed (code ${stream.rstCode ?? 0})` : `HTTP status ${http}`);
      const st = callStatus(trailers ?? {}) ?? callStatus(headers);
      if (st === undefined) return fail(status.internal, `stream closed without a grpc-status (code ${stream.rstCode ?? 0})`);
      if (st.code !== 0) return fail(st.code, st.details);
      const message = body.message();
      if (message instanceof GrpcStatusError) return fail(message.code, message.details);
      settled = true;
      clearTimeout(timer);
      resolve(message);
    });
    stream.end(frame(request));
  }

  /** close drops the connection; later calls fail with UNAVAILABLE. */
  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }
}

/** ResponseBody collects a unary response's length-prefixed message from DATA chunks. */
class ResponseBody {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private checked = false;

  constructor(private readonly max: number) {}

  /** push adds a chunk; it returns an error once the body cannot be one acceptable message. */
  push(chunk: Buffer): GrpcStatusError | undefined {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (!this.checked && this.size >= 5) {
      this.checked = true;
      const head = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const length = head.readUInt32BE(1);
      if (head[0] !== 0) return new GrpcStatusError(status.internal, 'compressed response message: no compression was offered');
      if (length > this.max) return new GrpcStatusError(status.resourceExhausted, `received message larger than max (${length} vs. ${this.max})`);
    }
    return undefined;
  }

  /** message returns the one complete message, or the error saying why there is none. */
  message(): Buffer | GrpcStatusError {
    const all = Buffer.concat(this.chunks);
    if (all.length < 5) return new GrpcStatusError(status.unimplemented, 'No message received');
    const length = all.readUInt32BE(1);
    if (all.length !== 5 + length) return new GrpcStatusError(status.internal, `response of ${all.length - 5} bytes framed as ${length}`);
    return all.subarray(5);
  }
}
