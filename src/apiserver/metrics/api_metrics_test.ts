import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequestInfo, splitRequestUrl } from '../request_info.js';
import { ApiMetrics } from './api_metrics.js';
import { reportedVerb, cleanScope } from './request_labels.js';

/** fakeExchange is the little of a request and response ApiMetrics reads: method, headers, statusCode and 'close'. */
function fakeExchange(method: string, headers: Record<string, string> = {}): { req: IncomingMessage; res: ServerResponse & EventEmitter } {
  const req = { method, headers } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse & EventEmitter;
  return { req, res };
}

function send(m: ApiMetrics, method: string, url: string, code: number, headers: Record<string, string> = {}): ServerResponse & EventEmitter {
  const { path, query } = splitRequestUrl(url);
  const { req, res } = fakeExchange(method, headers);
  m.track(req, res, parseRequestInfo(method, path, query), query, performance.now());
  res.statusCode = code;
  return res;
}

async function text(m: ApiMetrics): Promise<string> {
  return m.registry.metrics();
}

test('reportedVerb and cleanScope follow kube-apiserver', () => {
  const cases: [string, string, string | undefined, string, string][] = [
    ['GET', '/api/v1/namespaces/default/pods', undefined, 'LIST', 'namespace'],
    ['GET', '/api/v1/namespaces/default/pods/p', undefined, 'GET', 'resource'],
    ['GET', '/api/v1/pods?watch=true', undefined, 'WATCH', 'cluster'],
    ['POST', '/api/v1/namespaces/default/configmaps', undefined, 'POST', 'resource'],
    ['PATCH', '/apis/apps/v1/namespaces/default/deployments/d', 'application/apply-patch+yaml', 'APPLY', 'resource'],
    ['PATCH', '/apis/apps/v1/namespaces/default/deployments/d', 'application/merge-patch+json', 'PATCH', 'resource'],
    ['DELETE', '/api/v1/namespaces/default/configmaps', undefined, 'DELETE', 'namespace'],
    ['POST', '/api/v1/namespaces/default/pods/p/exec', undefined, 'CONNECT', 'resource'],
    ['GET', '/healthz', undefined, 'GET', ''],
  ];
  for (const [method, url, contentType, verb, scope] of cases) {
    const { path, query } = splitRequestUrl(url);
    const info = parseRequestInfo(method, path, query);
    assert.equal(reportedVerb(method, info, contentType), verb, `${method} ${url}`);
    assert.equal(cleanScope(info), scope, `${method} ${url}`);
  }
});

test('ApiMetrics counts requests by label set and code once answered', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  const res = send(m, 'POST', '/api/v1/namespaces/default/configmaps', 201);
  assert.doesNotMatch(await text(m), /apiserver_request_total\{/, 'not counted before the answer is done');
  res.emit('close');
  send(m, 'POST', '/api/v1/namespaces/default/configmaps', 201).emit('close');
  send(m, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', 409).emit('close');
  const out = await text(m);
  assert.match(out, /^apiserver_request_total\{verb="POST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",code="201"\} 2$/m);
  assert.match(out, /^apiserver_request_total\{verb="POST",dry_run="All",.*code="409"\} 1$/m);
  assert.match(out, /^apiserver_request_duration_seconds_bucket\{le="60",verb="POST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver"\} 2$/m);
  assert.match(out, /^apiserver_request_duration_seconds_count\{verb="POST",dry_run="".*\} 2$/m);
});

test('ApiMetrics tracks in-flight and long-running requests', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  const get = send(m, 'GET', '/api/v1/namespaces/default/pods', 200);
  const put = send(m, 'PUT', '/api/v1/namespaces/default/pods/p', 200);
  const watch = send(m, 'GET', '/api/v1/namespaces/default/pods?watch=1', 200);
  let out = await text(m);
  assert.match(out, /^apiserver_current_inflight_requests\{request_kind="readOnly"\} 1$/m);
  assert.match(out, /^apiserver_current_inflight_requests\{request_kind="mutating"\} 1$/m);
  assert.match(out, /^apiserver_longrunning_requests\{verb="WATCH",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver"\} 1$/m);
  for (const r of [get, put, watch]) r.emit('close');
  out = await text(m);
  assert.match(out, /^apiserver_current_inflight_requests\{request_kind="readOnly"\} 0$/m);
  assert.match(out, /^apiserver_longrunning_requests\{verb="WATCH".*\} 0$/m);
  assert.match(out, /^apiserver_request_total\{verb="WATCH",.*code="200"\} 1$/m);
});

test('ApiMetrics leaves unknown resources and unknown paths out', async () => {
  const m = new ApiMetrics({ defaultMetrics: false, isServed: (_g, _v, r) => r === 'pods' });
  send(m, 'GET', '/api/v1/namespaces/default/nopes', 404).emit('close');
  send(m, 'GET', '/no/such/path', 404).emit('close');
  send(m, 'GET', '/metrics', 200).emit('close');
  const out = await text(m);
  assert.doesNotMatch(out, /nopes|\/no\/such/);
  assert.match(out, /^apiserver_request_total\{verb="GET",dry_run="",group="",version="",resource="",subresource="\/metrics",scope="",component="apiserver",code="200"\} 1$/m);
});

test('ApiMetrics adds the process and Node.js default metrics', async () => {
  const out = await text(new ApiMetrics());
  assert.match(out, /^process_cpu_seconds_total /m);
  assert.match(out, /^process_resident_memory_bytes /m);
  assert.match(out, /^nodejs_heap_size_used_bytes /m);
});
