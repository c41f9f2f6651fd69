import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNode, nodeStatus, type NodeConfig } from './node_object.js';
import type { SystemInfo } from './system_info.js';

const sys: SystemInfo = { hostname: 'h', kernelVersion: '6.1', osImage: 'Debian', architecture: 'amd64', machineID: 'm', systemUUID: 'u', bootID: 'b', defaultIPv4: '10.0.0.9', cpus: 2, memoryBytes: 2 ** 31 };
const cfg: NodeConfig = { nodeName: 'w1', nodeIP: '10.0.0.5', labels: {}, taints: [], capacity: { cpu: '2' }, roles: [], runtimeVersion: 'fake://1' };

describe('node addresses', () => {
  it('lists InternalIP and Hostname without an external IP', () => {
    assert.deepEqual(nodeStatus(cfg, sys, 0).addresses, [
      { type: 'InternalIP', address: '10.0.0.5' },
      { type: 'Hostname', address: 'w1' },
    ]);
    assert.equal(buildNode(cfg, sys, 0).metadata.annotations?.['skiff.io/external-ip'], undefined);
  });

  it('adds the ExternalIP of --node-external-ip, as the kubelet orders them', () => {
    const withExternal = { ...cfg, nodeExternalIP: '203.0.113.7' };
    assert.deepEqual(nodeStatus(withExternal, sys, 0).addresses, [
      { type: 'InternalIP', address: '10.0.0.5' },
      { type: 'ExternalIP', address: '203.0.113.7' },
      { type: 'Hostname', address: 'w1' },
    ]);
    assert.equal(buildNode(withExternal, sys, 0).metadata.annotations?.['skiff.io/external-ip'], '203.0.113.7');
  });
});
