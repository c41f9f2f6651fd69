import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { closeListener, listen } from './listener.js';

test('listen resolves with the bound port; closeListener ends open sockets and the listener', async () => {
  const server = createServer();
  const port = await listen(server, 0, '127.0.0.1');
  assert.ok(port > 0);
  const accepted: Socket[] = [];
  server.on('connection', (s: Socket) => accepted.push(s));
  const client = connect(port, '127.0.0.1');
  const closed = new Promise<void>((r) => client.on('close', () => r()));
  client.on('error', () => undefined);
  await new Promise((r) => client.once('connect', r));
  await closeListener(server, accepted);
  await closed;
  assert.equal(server.listening, false);
});

test('listen rejects when the port is taken', async () => {
  const first = createServer();
  const port = await listen(first, 0, '127.0.0.1');
  try {
    await assert.rejects(listen(createServer(), port, '127.0.0.1'), (e: Error & { code?: string }) => e.code === 'EADDRINUSE' && /address already in use/.test(e.message));
  } finally {
    await closeListener(first, []);
  }
});
