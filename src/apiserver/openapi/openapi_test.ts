import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenApi, type OpenApiResource } from './index.js';
import { gnosticDocumentType } from './protobuf.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const resources: OpenApiResource[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, subresources: ['scale'], hasStatus: true, verbs: VERBS },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, subresources: [], hasStatus: true, verbs: VERBS },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, subresources: [], hasStatus: true, verbs: VERBS },
];
const api = createOpenApi({ resources, gitVersion: 'v1.32.0' });

type Json = Record<string, unknown>;
const parse = (b: Buffer): Json => JSON.parse(b.toString('utf8')) as Json;
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((c, k) => (c as Json | undefined)?.[k], o);

describe('OpenAPI v2', () => {
  const doc = parse(api.v2().json);

  it('is a swagger 2.0 document titled Kubernetes with the gitVersion', () => {
    assert.equal(doc['swagger'], '2.0');
    assert.deepEqual(doc['info'], { title: 'Kubernetes', version: 'v1.32.0' });
    assert.equal(api.v2(), api.v2(), 'cached');
  });

  const ops: [string, string, string, string][] = [
    ['/apis/apps/v1/namespaces/{namespace}/deployments', 'get', 'listAppsV1NamespacedDeployment', 'list'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments', 'post', 'createAppsV1NamespacedDeployment', 'post'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments', 'delete', 'deleteAppsV1CollectionNamespacedDeployment', 'deletecollection'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch', 'patchAppsV1NamespacedDeployment', 'patch'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status', 'put', 'replaceAppsV1NamespacedDeploymentStatus', 'put'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', 'get', 'readAppsV1NamespacedDeploymentScale', 'get'],
    ['/apis/apps/v1/deployments', 'get', 'listAppsV1DeploymentForAllNamespaces', 'list'],
    ['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}', 'get', 'watchAppsV1NamespacedDeployment', 'watch'],
    ['/api/v1/nodes/{name}', 'delete', 'deleteCoreV1Node', 'delete'],
    ['/api/v1/watch/nodes', 'get', 'watchCoreV1NodeList', 'watchlist'],
    ['/api/v1/namespaces/{namespace}/pods', 'get', 'listCoreV1NamespacedPod', 'list'],
  ];
  for (const [path, method, id, action] of ops) {
    it(`${method.toUpperCase()} ${path} is ${id}`, () => {
      assert.equal(at(doc, 'paths', path, method, 'operationId'), id);
      assert.equal(at(doc, 'paths', path, method, 'x-kubernetes-action'), action);
    });
  }

  it('patch takes fieldValidation and the four patch content types', () => {
    const patch = at(doc, 'paths', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch') as Json;
    const names = (patch['parameters'] as Json[]).map((p) => p['name']);
    assert.deepEqual(names, ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
    assert.deepEqual(patch['consumes'], ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  });

  it('carries the reachable definitions with patch metadata', () => {
    const ports = at(doc, 'definitions', 'io.k8s.api.core.v1.Container', 'properties', 'ports') as Json;
    assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.deepEqual(at(doc, 'definitions', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'format'), 'int-or-string');
    assert.ok(at(doc, 'definitions', 'io.k8s.api.autoscaling.v1.Scale'));
    assert.equal(at(doc, 'definitions', 'io.k8s.api.batch.v1.Job'), undefined, 'unserved kinds left out');
  });

  it('protobuf decodes back to the same document', () => {
    const type = gnosticDocumentType();
    const decoded = type.toObject(type.decode(api.v2().protobuf), { defaults: false }) as Json;
    assert.equal(decoded['swagger'], '2.0');
    const paths = at(decoded, 'paths', 'path') as Json[];
    assert.deepEqual(paths.map((p) => p['name']), Object.keys(doc['paths'] as Json));
    const defs = at(decoded, 'definitions', 'additional_properties') as Json[];
    assert.deepEqual(defs.map((d) => d['name']), Object.keys(doc['definitions'] as Json));
    const deployment = defs.find((d) => d['name'] === 'io.k8s.api.apps.v1.Deployment');
    const ext = at(deployment, 'value', 'vendor_extension') as Json[];
    assert.deepEqual(JSON.parse(at(ext[0], 'value', 'yaml') as string), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const patch = paths.find((p) => p['name'] === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
    const params = at(patch, 'value', 'patch', 'parameters') as Json[];
    const query = params.map((p) => at(p, 'parameter', 'non_body_parameter', 'query_parameter_sub_schema', 'name')).filter(Boolean);
    assert.ok(query.includes('fieldValidation'));
  });
});

describe('OpenAPI v3', () => {
  it('indexes each group-version with a hash that matches its document', () => {
    const index = api.v3Index();
    assert.deepEqual(Object.keys(index.paths), ['api/v1', 'apis/apps/v1']);
    const apps = api.v3GroupVersion('apis/apps/v1');
    assert.ok(apps);
    assert.equal(index.paths['apis/apps/v1']?.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${apps.etag.slice(1, -1)}`);
    assert.equal(api.v3GroupVersion('apis/batch/v1'), undefined);
  });

  it('holds the group-version paths and schemas, refs rewritten', () => {
    const doc = parse(api.v3GroupVersion('apis/apps/v1')?.json ?? Buffer.from('{}'));
    assert.equal(doc['openapi'], '3.0.0');
    const patch = at(doc, 'paths', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch') as Json;
    assert.ok((patch['parameters'] as Json[]).some((p) => p['name'] === 'fieldValidation'));
    assert.ok(at(patch, 'requestBody', 'content', 'application/apply-patch+yaml'));
    const deployment = at(doc, 'components', 'schemas', 'io.k8s.api.apps.v1.Deployment') as Json;
    assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.deepEqual(at(deployment, 'properties', 'spec', 'allOf'), [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
    assert.equal(at(doc, 'paths', '/api/v1/nodes'), undefined);
  });
});

describe('schemas', () => {
  it('resolve refs and keep patch metadata', () => {
    const pod = api.schemas.forKind('', 'v1', 'Pod');
    const containers = pod?.properties?.['spec']?.properties?.['containers'];
    assert.equal(containers?.patchMergeKey, 'name');
    assert.equal(containers?.patchStrategy, 'merge');
    assert.equal(containers?.items?.properties?.['env']?.patchMergeKey, 'name');
    assert.equal(pod?.properties?.['metadata']?.properties?.['ownerReferences']?.patchMergeKey, 'uid');
    assert.equal(pod?.properties?.['metadata']?.properties?.['labels']?.additionalProperties?.type, 'string');
    assert.equal(api.schemas.forKind('', 'v1', 'Pod'), pod, 'cached');
    assert.equal(api.schemas.forKind('example.com', 'v1', 'Thing'), undefined);
  });
});
