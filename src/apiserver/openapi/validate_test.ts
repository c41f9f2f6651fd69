import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenApi, validateFields } from './index.js';

const api = createOpenApi({ resources: [], gitVersion: 'v1.32.0' });
const deploymentSchema = api.schemas.forKind('apps', 'v1', 'Deployment');

function deployment(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'web' }): unknown {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } };

describe('validateFields', () => {
  assert.ok(deploymentSchema, 'apps/v1 Deployment schema');
  const schema = deploymentSchema;

  const cases: { name: string; obj: unknown; unknown: string[]; errors: string[] }[] = [
    { name: 'valid deployment', obj: deployment({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template }), unknown: [], errors: [] },
    { name: 'unknown spec field', obj: deployment({ replicass: 1, template }), unknown: ['spec.replicass'], errors: [] },
    {
      name: 'unknown field in list element',
      obj: deployment({ template: { spec: { containers: [{ name: 'a', imagex: 'x' }] } } }),
      unknown: ['spec.template.spec.containers[0].imagex'],
      errors: [],
    },
    { name: 'unknown metadata field', obj: deployment({}, { name: 'x', foo: 1 }), unknown: ['metadata.foo'], errors: [] },
    {
      name: 'string where int32 is expected',
      obj: deployment({ replicas: 'two' }),
      unknown: [],
      errors: ['spec.replicas|json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    },
    {
      name: 'fraction where integer is expected, inside a list',
      obj: deployment({ template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 1.5 }] }] } } }),
      unknown: [],
      errors: [
        'spec.template.spec.containers[0].ports[0].containerPort|json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
      ],
    },
    {
      name: 'number as a label value',
      obj: deployment({}, { name: 'x', labels: { a: 1 } }),
      unknown: [],
      errors: ['metadata.labels.a|json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    },
    {
      name: 'object where a string is expected',
      obj: deployment({ template: { spec: { containers: [{ name: { a: 1 } }] } } }),
      unknown: [],
      errors: ['spec.template.spec.containers[0].name|json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.name of type string'],
    },
    {
      name: 'int-or-string and quantities accept both forms; null is fine',
      obj: deployment({
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 1, memory: '1Gi' } } }] } },
        paused: null,
      }),
      unknown: [],
      errors: [],
    },
    {
      name: 'int-or-string rejects booleans',
      obj: deployment({ strategy: { rollingUpdate: { maxSurge: true } } }),
      unknown: [],
      errors: ['spec.strategy.rollingUpdate.maxSurge|json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type intstr.IntOrString'],
    },
    {
      name: 'array where an object is expected',
      obj: deployment({ selector: [] }),
      unknown: [],
      errors: ['spec.selector|json: cannot unmarshal array into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = validateFields(c.obj, schema);
      assert.deepEqual(r.unknownFields, c.unknown);
      assert.deepEqual(r.errors.map((e) => `${e.field}|${e.detail ?? ''}`), c.errors);
      for (const e of r.errors) assert.equal(e.type, 'FieldValueTypeInvalid');
    });
  }

  it('does not look inside free-form fields (RawExtension, JSONSchemaProps defaults, managedFields)', () => {
    const rev = api.schemas.forKind('apps', 'v1', 'ControllerRevision');
    assert.ok(rev);
    const r = validateFields({ metadata: { managedFields: [{ fieldsV1: { 'f:spec': {} } }] }, data: { anything: [1, 'x'] }, revision: 1 }, rev);
    assert.deepEqual(r, { unknownFields: [], errors: [] });
  });

  it('walks recursive schemas (CustomResourceDefinition JSONSchemaProps)', () => {
    const crd = api.schemas.forKind('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition');
    assert.ok(crd);
    const props = { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer', bogus: 1 } } } } };
    const obj = { spec: { group: 'x.io', names: { kind: 'X', plural: 'xs' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: props } }] } };
    const r = validateFields(obj, crd);
    assert.deepEqual(r.unknownFields, ['spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.n.bogus']);
  });

  it('stops at the limit', () => {
    const spec = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i}`, i]));
    assert.equal(validateFields(deployment(spec), schema, { limit: 3 }).unknownFields.length, 3);
  });
});
