import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { desiredSubsets } from './subsets.js';

const svc = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ...spec } });
const pod = (name: string, ip: string, opts: { ready?: boolean; ports?: Record<string, number>; terminating?: boolean; phase?: string } = {}): KubeObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(opts.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports: Object.entries(opts.ports ?? {}).map(([n, p]) => ({ name: n, containerPort: p })) }] },
  status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const addr = (name: string, ip: string): Record<string, unknown> => ({ ip, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` } });

test('desiredSubsets', async (t) => {
  const cases: { name: string; svc: KubeObject; pods: KubeObject[]; want: unknown }[] = [
    {
      name: 'ready and not ready on a numeric port',
      svc: svc({ ports: [{ port: 80, targetPort: 8080 }] }),
      pods: [pod('b', '10.42.0.6', { ready: false }), pod('a', '10.42.0.5')],
      want: [{ addresses: [addr('a', '10.42.0.5')], notReadyAddresses: [addr('b', '10.42.0.6')], ports: [{ port: 8080, protocol: 'TCP' }] }],
    },
    {
      name: 'named ports resolved per pod; pods without the name skipped',
      svc: svc({ ports: [{ name: 'http', port: 80, targetPort: 'web' }] }),
      pods: [pod('a', '10.42.0.5', { ports: { web: 8080 } }), pod('b', '10.42.0.6', { ports: { web: 9090 } }), pod('c', '10.42.0.7')],
      want: [
        { addresses: [addr('a', '10.42.0.5')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        { addresses: [addr('b', '10.42.0.6')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
      ],
    },
    {
      name: 'ports with the same addresses share a subset',
      svc: svc({ ports: [{ name: 'https', port: 443, targetPort: 8443 }, { name: 'http', port: 80, targetPort: 8080 }] }),
      pods: [pod('a', '10.42.0.5')],
      want: [{ addresses: [addr('a', '10.42.0.5')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }] }],
    },
    {
      name: 'terminating and finished pods are left out',
      svc: svc({ ports: [{ port: 80 }] }),
      pods: [pod('a', '10.42.0.5', { terminating: true }), pod('b', '10.42.0.6', { phase: 'Succeeded' })],
      want: [],
    },
    {
      name: 'publishNotReadyAddresses keeps terminating and not-ready pods as ready addresses',
      svc: svc({ ports: [{ port: 80 }], publishNotReadyAddresses: true }),
      pods: [pod('a', '10.42.0.5', { terminating: true, ready: false })],
      want: [{ addresses: [addr('a', '10.42.0.5')], ports: [{ port: 80, protocol: 'TCP' }] }],
    },
    {
      name: 'headless without ports lists addresses alone',
      svc: svc({ clusterIP: 'None' }),
      pods: [pod('a', '10.42.0.5')],
      want: [{ addresses: [addr('a', '10.42.0.5')] }],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(desiredSubsets(c.svc, c.pods), c.want));
  }
});
