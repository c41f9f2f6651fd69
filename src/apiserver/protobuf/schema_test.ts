import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KINDS, META_KINDS, PACKAGES, packageOf } from './packages.js';
import { SchemaRegistry } from './schema.js';

describe('protobuf schema tables', () => {
  // The constructor resolves every message reference and throws on a dangling one.
  const registry = new SchemaRegistry(PACKAGES);

  it('resolves every listed kind', () => {
    for (const [apiVersion, kinds] of Object.entries(KINDS)) {
      for (const kind of kinds) assert.ok(registry.message(packageOf(apiVersion), kind), `${apiVersion} ${kind}`);
    }
    for (const kind of META_KINDS) assert.ok(registry.message('meta/v1', kind));
  });

  it('maps apiVersions to packages', () => {
    assert.equal(packageOf('v1'), 'core/v1');
    assert.equal(packageOf('apps/v1'), 'apps/v1');
    assert.equal(packageOf('rbac.authorization.k8s.io/v1'), 'rbac/v1');
  });

  const spots: [string, string, string, number][] = [
    ['meta/v1', 'ObjectMeta', 'labels', 11],
    ['meta/v1', 'ObjectMeta', 'managedFields', 17],
    ['core/v1', 'PodSpec', 'containers', 2],
    ['core/v1', 'Container', 'envFrom', 19],
    ['core/v1', 'ServicePort', 'targetPort', 4],
    ['apps/v1', 'DeploymentSpec', 'progressDeadlineSeconds', 9],
    ['batch/v1', 'JobSpec', 'template', 6],
    ['networking/v1', 'IngressSpec', 'ingressClassName', 4],
  ];
  for (const [pkg, name, field, num] of spots) {
    it(`${pkg}.${name}.${field} is field ${num}`, () => {
      assert.equal(registry.message(pkg, name)?.fields.get(num)?.name, field);
    });
  }

  it('marks inline and pointer fields', () => {
    const volume = registry.message('core/v1', 'Volume')?.fields.get(2);
    assert.equal(volume?.inline, true);
    assert.equal(registry.message('apps/v1', 'DeploymentSpec')?.fields.get(1)?.pointer, true);
    assert.equal(registry.message('apps/v1', 'DeploymentSpec')?.fields.get(5)?.pointer, false);
  });
});
