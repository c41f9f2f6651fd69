import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GrpcChannel, GrpcStatusError } from './grpc_channel.js';

/** answers by path: a raw HTTP/2 server shows exactly what the channel sends and reads. */
const answers: Record<string, (s: ServerHttp2Stream, body: Buffer, headers: Record<string, unknown>) => void> = {
  '/echo': (s, body) => {
    s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    s.end(body); // the request frame, echoed
  },
  '/trailers-only': (s) => s.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'pod%20%22x%22 not found' }, { endStream: true }),
  '/http-503': (s) => s.respond({ ':status': 503 }, { endStream: true }),
  '/hang': () => undefined,
  '/no-message': (s) => {
    s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    s.end();
  },
  '/big': (s) => {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(1000, 1);
    s.respond({ ':status': 200, 'content-type': 'application/grpc' });
    s.end(Buffer.concat([head, Buffer.alloc(1000)]));
  },
};

let dir: string;
let socket: string;
let server: Http2Server;
const seenHeaders: Record<string, unknown>[] = [];

function listen(): Promise<void> {
  server = createServer();
  server.on('stream', (s, headers) => {
    seenHeaders.push(headers);
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => answers[String(headers[':path'])]?.(s, Buffer.concat(chunks), headers));
  });
  return new Promise((resolve) => server.listen(socket, resolve));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-grpc-'));
  socket = join(dir, 's.sock');
  await listen();
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const codeOf = async (p: Promise<unknown>): Promise<[number, string]> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof GrpcStatusError) return [e.code, e.details];
    throw e;
  }
  throw new Error('resolved');
};

describe('GrpcChannel', () => {
  it('frames the request, sends gRPC headers and unframes the answer', async () => {
    const ch = new GrpcChannel({ socket, maxReceiveBytes: 1 << 20 });
    try {
      const got = await ch.unary('/echo', Buffer.from('hello'), 5000);
      // The echo answers with our own frame: [0, len32, "hello"] unframed again is "hello".
      assert.equal(got.toString(), 'hello');
      const h = seenHeaders.at(-1)!;
      assert.deepEqual([h[':method'], h['content-type'], h['te'], h['grpc-timeout']], ['POST', 'application/grpc', 'trailers', '5000m']);
    } finally {
      ch.close();
    }
  });

  it('maps failures to gRPC codes', async () => {
    const ch = new GrpcChannel({ socket, maxReceiveBytes: 100 });
    try {
      const cases: [string, number, number, RegExp][] = [
        ['/trailers-only', 5000, 5, /^pod "x" not found$/],
        ['/http-503', 5000, 14, /503/],
        ['/hang', 100, 4, /Deadline exceeded/],
        ['/no-message', 5000, 12, /No message/],
        ['/big', 5000, 8, /larger than max/],
      ];
      for (const [path, timeout, code, details] of cases) {
        const [c, d] = await codeOf(ch.unary(path, Buffer.alloc(0), timeout));
        assert.equal(c, code, path);
        assert.match(d, details, path);
      }
    } finally {
      ch.close();
    }
  });

  it('fails with UNAVAILABLE while nobody listens, connects once somebody does, and refuses calls after close', async () => {
    const late = join(dir, 'late.sock');
    const ch = new GrpcChannel({ socket: late, maxReceiveBytes: 1 << 20 });
    const second = createServer();
    try {
      assert.equal((await codeOf(ch.unary('/echo', Buffer.alloc(0), 2000)))[0], 14);
      second.on('stream', (s, headers) => {
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => answers[String(headers[':path'])]?.(s, Buffer.concat(chunks), headers));
      });
      await new Promise<void>((resolve) => second.listen(late, resolve));
      assert.equal((await ch.unary('/echo', Buffer.from('b'), 2000)).toString(), 'b');
    } finally {
      ch.close();
    }
    assert.equal((await codeOf(ch.unary('/echo', Buffer.alloc(0), 100)))[0], 14);
    await new Promise((r) => second.close(r));
  });
});
