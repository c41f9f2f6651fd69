import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { criProto } from './proto.js';
import { GrpcCriClient } from './grpc_client.js';
import { CriNotFoundError, CriTimeoutError, CriUnavailableError } from './errors.js';

type Handler = (req: Record<string, unknown>) => Record<string, unknown> | { error: number; details: string } | 'hang';

/** handlers answer like a CRI runtime would, recording requests for assertions. */
const seen: Record<string, Record<string, unknown>> = {};
const handlers: Record<string, Handler> = {
  Version: () => ({ version: '0.1.0', runtimeName: 'fake', runtimeVersion: '9.9', runtimeApiVersion: 'v1' }),
  ContainerStatus: (r) =>
    r['containerId'] === 'gone'
      ? { error: grpc.status.NOT_FOUND, details: 'container "gone" not found' }
      : { status: { id: 'c1', state: 'CONTAINER_EXITED', exitCode: 3, createdAt: '1700000000000000001', finishedAt: '5', reason: 'Error', metadata: { name: 'app', attempt: 2 }, logPath: '/l' } },
  StopContainer: () => ({ error: grpc.status.NOT_FOUND, details: 'not found' }),
  StartContainer: () => 'hang',
  ExecSync: (r) => ({ stdout: Buffer.from(`ran ${(r['cmd'] as string[]).join(' ')}`), stderr: Buffer.alloc(0), exitCode: 7 }),
  ListPodSandbox: () => ({ items: [{ id: 's1', state: 'SANDBOX_READY', labels: { a: 'b' }, metadata: { name: 'p', uid: 'u', namespace: 'n' } }] }),
  ImageStatus: () => ({}),
  UpdateRuntimeConfig: () => ({}),
  ListContainerStats: () => ({
    stats: [
      { attributes: { id: 'c1', metadata: { name: 'app' }, labels: { 'io.kubernetes.pod.name': 'web' } }, cpu: { timestamp: '1700000000000000000', usageCoreNanoSeconds: { value: '1500000000' } }, memory: { timestamp: '1700000000000000000', workingSetBytes: { value: '16777216' } } },
      { attributes: { id: 'c2', metadata: { name: 'exited' } } },
    ],
  }),
};

let server: grpc.Server;
let dir: string;
let socket: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cri-'));
  socket = join(dir, 'cri.sock');
  const def = fromJSON(protobuf.parse(criProto, { keepCase: false }).root.toJSON(), { keepCase: false, longs: String, enums: String, defaults: true });
  server = new grpc.Server();
  for (const svc of ['runtime.v1.RuntimeService', 'runtime.v1.ImageService']) {
    const sd = def[svc] as grpc.ServiceDefinition;
    const impl: grpc.UntypedServiceImplementation = {};
    for (const method of Object.keys(sd)) {
      impl[method] = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        seen[method] = call.request;
        const out = handlers[method]?.(call.request) ?? { error: grpc.status.UNIMPLEMENTED, details: method };
        if (out === 'hang') return;
        if ('error' in out && typeof out['error'] === 'number') cb({ code: out['error'], details: String(out['details']) });
        else cb(null, out);
      };
    }
    server.addService(sd, impl);
  }
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
});

after(() => {
  server.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('version, status decoding and typed errors', async () => {
  const c = new GrpcCriClient({ socket, timeoutMs: 2000 });
  try {
    assert.deepEqual(await c.version(), { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '9.9', runtimeApiVersion: 'v1' });
    assert.equal(seen['Version']?.['version'], 'v1');
    const st = await c.containerStatus('c1');
    assert.equal(st.state, 'CONTAINER_EXITED');
    assert.equal(st.exitCode, 3);
    assert.equal(st.createdAt, 1700000000000000001n);
    assert.equal(st.startedAt, 0n);
    assert.deepEqual(st.metadata, { name: 'app', attempt: 2 });
    await assert.rejects(c.containerStatus('gone'), (e) => e instanceof CriNotFoundError && /not found/.test(e.message));
    await c.stopContainer('gone', 5); // NotFound on stop means already gone: no error
    assert.equal(seen['StopContainer']?.['timeout'], '5');
    await assert.rejects(c.startContainer('x', { timeoutMs: 200 }), CriTimeoutError);
    await assert.rejects(c.status(), /CRI Status/);
  } finally {
    c.close();
  }
});

test('requests carry CRI field shapes', async () => {
  const c = new GrpcCriClient({ socket, timeoutMs: 2000 });
  try {
    const ex = await c.execSync('c1', ['echo', 'hi'], 3);
    assert.deepEqual({ out: ex.stdout.toString(), code: ex.exitCode }, { out: 'ran echo hi', code: 7 });
    assert.equal(seen['ExecSync']?.['timeout'], '3');
    const sbs = await c.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { app: 'x' } });
    assert.deepEqual(seen['ListPodSandbox']?.['filter'], { id: '', state: { state: 'SANDBOX_READY' }, labelSelector: { app: 'x' } });
    assert.equal(sbs[0]?.id, 's1');
    assert.deepEqual(sbs[0]?.labels, { a: 'b' });
    assert.equal(await c.imageStatus({ image: 'nope' }), undefined);
    await c.updateRuntimeConfig('10.42.0.0/24');
    assert.deepEqual(seen['UpdateRuntimeConfig'], { runtimeConfig: { networkConfig: { podCidr: '10.42.0.0/24' } } });
  } finally {
    c.close();
  }
});

test('a socket nobody listens on is CriUnavailableError', async () => {
  const c = new GrpcCriClient({ socket: join(dir, 'none.sock'), timeoutMs: 1000 });
  try {
    await assert.rejects(c.version(), (e) => e instanceof CriUnavailableError || e instanceof CriTimeoutError);
  } finally {
    c.close();
  }
});

test('ListContainerStats: wrapped values, absent ones undefined', async () => {
  const c = new GrpcCriClient({ socket, timeoutMs: 2000 });
  try {
    const [a, b] = await c.listContainerStats();
    assert.deepEqual(a, {
      id: 'c1', name: 'app', labels: { 'io.kubernetes.pod.name': 'web' },
      cpu: { timestamp: 1700000000000000000n, usageCoreNanoSeconds: 1.5e9, usageNanoCores: undefined },
      memory: { timestamp: 1700000000000000000n, workingSetBytes: 16777216, availableBytes: undefined, usageBytes: undefined, rssBytes: undefined, pageFaults: undefined, majorPageFaults: undefined },
    });
    assert.deepEqual(b, { id: 'c2', name: 'exited', labels: {}, cpu: undefined, memory: undefined });
  } finally {
    c.close();
  }
});
