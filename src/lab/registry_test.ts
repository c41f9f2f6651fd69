import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { nodeRegistriesYaml, registryPath } from './registry.js';
import type { LabHostState } from './state.js';

test('registryPath drops the docker.io host and adds library/ to one-part names', () => {
  assert.equal(registryPath('docker.io/library/mongo:latest'), 'library/mongo:latest');
  assert.equal(registryPath('docker.io/sdelements/lets-chat:latest'), 'sdelements/lets-chat:latest');
  assert.equal(registryPath('mongo:7'), 'library/mongo:7');
  assert.equal(registryPath('sdelements/lets-chat:1'), 'sdelements/lets-chat:1');
  assert.equal(registryPath('localhost:5000/app:1'), 'library/app:1');
});

test('nodeRegistriesYaml mirrors docker.io to the registry host over plain HTTP', () => {
  const host = { ip: '10.77.0.6' } as LabHostState;
  assert.deepEqual(parse(nodeRegistriesYaml(host)), { mirrors: { 'docker.io': { endpoint: ['http://10.77.0.6:5000'] } } });
});
