import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import { decodeKubeProtobuf, isProtobufContentType, PROTOBUF_CONTENT_TYPE } from './index.js';
import { body, bytes, entry, msg, str, varint } from './testing_encoder.js';

const meta = (name: string, ns?: string) => msg(1, str(1, name), ...(ns ? [str(3, ns)] : []));
const intOrStr = (num: number, v: number | string) =>
  typeof v === 'number' ? msg(num, varint(1, 0), varint(2, v)) : msg(num, varint(1, 1), str(3, v));

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, message: e.status.message ?? '' };
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('decodeKubeProtobuf', () => {
  const cases: { name: string; body: Uint8Array; want: Record<string, unknown> }[] = [
    {
      name: 'namespace as kubectl create namespace sends it',
      body: body('v1', 'Namespace', msg(1, str(1, 'foo'), str(2, ''), msg(8)), msg(2), msg(3)),
      want: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo', creationTimestamp: null }, spec: {}, status: {} },
    },
    {
      name: 'configmap with data and binaryData',
      body: body('v1', 'ConfigMap', meta('c', 'default'), entry(2, 'a', 'b'), entry(3, 'bin', bytes(2, Uint8Array.of(0, 1, 255)))),
      want: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'default' },
        data: { a: 'b' },
        binaryData: { bin: 'AAH/' },
      },
    },
    {
      name: 'secret data is base64, empty value kept, type set',
      body: body('v1', 'Secret', meta('s'), entry(2, 'a', bytes(2, new TextEncoder().encode('b'))), entry(2, 'e', str(1, 'e')), str(3, 'Opaque')),
      want: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==', e: '' }, type: 'Opaque' },
    },
    {
      name: 'deployment with replicas, selector, template, rolling update and resources',
      body: body(
        'apps/v1',
        'Deployment',
        msg(1, str(1, 'web'), entry(11, 'app', 'web')),
        msg(
          2,
          varint(1, 3),
          msg(2, entry(1, 'app', 'web')),
          msg(
            3,
            msg(1, entry(11, 'app', 'web')),
            msg(2, msg(2, str(1, 'nginx'), str(2, 'nginx'), msg(6, varint(3, 80), str(4, 'TCP')), msg(8, entry(1, 'cpu', msg(2, str(1, '100m')))))),
          ),
          msg(4, str(1, 'RollingUpdate'), msg(2, intOrStr(1, '25%'), intOrStr(2, 1))),
          varint(7, false),
        ),
      ),
      want: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '100m' } } },
              ],
            },
          },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
        },
      },
    },
    {
      name: 'replicas 0 is kept (pointer), minReadySeconds 0 is omitted (value)',
      body: body('apps/v1', 'Deployment', meta('z'), msg(2, varint(1, 0), varint(5, 0))),
      want: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'z' }, spec: { replicas: 0 } },
    },
    {
      name: 'service with an int and a string targetPort',
      body: body(
        'v1',
        'Service',
        meta('svc'),
        msg(2, msg(1, str(1, 'a'), varint(3, 80), intOrStr(4, 8080)), msg(1, str(1, 'b'), varint(3, 443), intOrStr(4, 'https')), str(4, 'ClusterIP')),
      ),
      want: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc' },
        spec: { ports: [{ name: 'a', port: 80, targetPort: 8080 }, { name: 'b', port: 443, targetPort: 'https' }], type: 'ClusterIP' },
      },
    },
    {
      name: 'eviction with delete options (grace period 0 kept, preconditions, dryRun)',
      body: body('policy/v1', 'Eviction', meta('p', 'default'), msg(2, varint(1, 0), msg(2, str(1, 'uid-1')), str(5, 'All'))),
      want: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'p', namespace: 'default' },
        deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' }, dryRun: ['All'] },
      },
    },
    {
      name: 'DeleteOptions under any apiVersion, as typed-client deletes send it',
      body: body('meta.k8s.io/v1', 'DeleteOptions', varint(1, 30), str(4, 'Foreground'), varint(3, false)),
      want: { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', gracePeriodSeconds: 30, propagationPolicy: 'Foreground', orphanDependents: false },
    },
    {
      name: 'times: Time drops nanos, MicroTime keeps microseconds, managedFields raw JSON',
      body: body(
        'coordination.k8s.io/v1',
        'Lease',
        msg(1, str(1, 'l'), msg(8, varint(1, 1704164645), varint(2, 5)), msg(17, str(1, 'm'), msg(7, str(1, '{"f:spec":{}}')))),
        msg(2, str(1, ''), msg(4, varint(1, 1704164645), varint(2, 123456789))),
      ),
      want: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'l', creationTimestamp: '2024-01-02T03:04:05Z', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
        spec: { holderIdentity: '', renewTime: '2024-01-02T03:04:05.123456Z' },
      },
    },
    {
      name: 'inline volume source and localObjectReference, negative int, packed repeated',
      body: body(
        'v1',
        'Pod',
        meta('p'),
        msg(2, msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'cm')), varint(3, 420)))), varint(4, -1n), msg(14, bytes(4, Uint8Array.of(1, 2)))),
      ),
      want: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { volumes: [{ name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } }], terminationGracePeriodSeconds: -1, securityContext: { supplementalGroups: [1, 2] } },
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(decodeKubeProtobuf(c.body), c.want);
    });
  }

  it('keeps a "__proto__" map key as plain data', () => {
    const got = decodeKubeProtobuf(body('v1', 'ConfigMap', meta('c'), entry(2, '__proto__', 'x')));
    const data = got['data'] as Record<string, unknown>;
    assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'x');
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
  });

  const failures: { name: string; body: Uint8Array; code: number; message: RegExp }[] = [
    { name: 'unknown kind', body: body('example.com/v1', 'Widget', meta('w')), code: 415, message: /Widget/ },
    { name: 'known group, unknown kind', body: body('v1', 'ComponentStatus', meta('w')), code: 415, message: /ComponentStatus/ },
    { name: 'missing magic', body: Uint8Array.from([0x0a, 0x00]), code: 400, message: /k8s/ },
    { name: 'empty body', body: new Uint8Array(0), code: 400, message: /k8s/ },
    { name: 'truncated body', body: body('v1', 'Namespace', meta('foo')).subarray(0, 20), code: 400, message: /truncated/ },
    { name: 'unknown field number', body: body('v1', 'Namespace', meta('foo'), str(99, 'x')), code: 400, message: /field number 99 .*core\/v1\.Namespace/ },
    { name: 'unknown nested field', body: body('v1', 'Namespace', msg(1, str(40, 'x'))), code: 400, message: /40 .*meta\/v1\.ObjectMeta/ },
    { name: 'wrong wire type', body: body('v1', 'Namespace', msg(1, varint(1, 5))), code: 400, message: /wire type/ },
    { name: 'bad FieldsV1 JSON', body: body('v1', 'Namespace', msg(1, msg(17, msg(7, str(1, '{'))))), code: 400, message: /FieldsV1/ },
  ];
  for (const f of failures) {
    it(`rejects ${f.name} with ${f.code}`, () => {
      const st = statusOf(() => decodeKubeProtobuf(f.body));
      assert.equal(st.code, f.code);
      assert.match(st.message, f.message);
    });
  }

  it('recognises the media type with parameters', () => {
    assert.ok(isProtobufContentType(`${PROTOBUF_CONTENT_TYPE}; charset=utf-8`));
    assert.ok(!isProtobufContentType('application/json'));
  });
});
