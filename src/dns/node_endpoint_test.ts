import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeDNSSlice } from './node_endpoint.js';

test('nodeDNSSlice: one ready endpoint on the node address, UDP and TCP 53, owned by the Node', () => {
  const s = nodeDNSSlice('worker1', '10.0.0.11', 'uid-1');
  assert.equal(s.metadata.name, 'kube-dns-worker1');
  assert.equal(s.metadata.labels?.['kubernetes.io/service-name'], 'kube-dns');
  assert.deepEqual(s['endpoints'], [{ addresses: ['10.0.0.11'], nodeName: 'worker1', conditions: { ready: true, serving: true, terminating: false } }]);
  assert.deepEqual((s['ports'] as { protocol: string }[]).map((p) => p.protocol), ['UDP', 'TCP']);
  assert.equal(s.metadata.ownerReferences?.[0]?.uid, 'uid-1');
});
