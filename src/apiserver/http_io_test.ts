import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readBody } from './http_io.js';

/** fakeRequest is a body stream with the headers readBody looks at. */
function fakeRequest(headers: Record<string, string> = {}): PassThrough & { headers: Record<string, string> } {
  return Object.assign(new PassThrough(), { headers });
}

const asReq = (r: PassThrough): IncomingMessage => r as unknown as IncomingMessage;

test('readBody: joins the chunks; a body over the limit is 413, declared or streamed', async () => {
  const req = fakeRequest();
  const body = readBody(asReq(req));
  req.write('{"a":');
  req.end('1}');
  assert.equal((await body).toString(), '{"a":1}');

  const single = fakeRequest();
  const one = readBody(asReq(single));
  single.end('x');
  assert.equal((await one).toString(), 'x');

  await assert.rejects(readBody(asReq(fakeRequest({ 'content-length': '11' })), 10), { code: 413 });
  const streamed = fakeRequest();
  const tooBig = readBody(asReq(streamed), 10);
  streamed.write('123456');
  streamed.write('789012');
  await assert.rejects(tooBig, { code: 413 });
  assert.equal(streamed.listenerCount('data'), 0, 'no listener is left behind');
});

test('readBody: a request that fails or closes before its end rejects; an ended one is empty', async () => {
  const failing = fakeRequest();
  const failed = readBody(asReq(failing));
  failing.destroy(new Error('aborted'));
  await assert.rejects(failed, /aborted/);

  const closing = fakeRequest();
  const closed = readBody(asReq(closing));
  closing.destroy();
  await assert.rejects(closed, /closed before its body ended/);

  const ended = fakeRequest();
  ended.end();
  ended.resume();
  await new Promise((r) => ended.once('end', r));
  assert.equal((await readBody(asReq(ended))).length, 0);
});
