import type { JsonObject } from '../../api/types.js';
import type { SchemaNode } from '../schema_types.js';

/**
 * Hand-built fixtures for the strategic merge patch tests: a Deployment schema fragment carrying
 * the patch strategies and merge keys of apps/v1 (as k8s.io/api's struct tags declare them), and
 * the tutorial's letschat Deployment as the API server stores it (defaults filled in).
 */

const str: SchemaNode = { type: 'string' };
const int: SchemaNode = { type: 'integer' };
const strMap: SchemaNode = { type: 'object', additionalProperties: str };
const strList: SchemaNode = { type: 'array', items: str };

const objectMeta: SchemaNode = {
  type: 'object',
  properties: {
    name: str,
    namespace: str,
    labels: strMap,
    annotations: strMap,
    finalizers: { type: 'array', items: str, patchStrategy: 'merge', listType: 'set' },
    ownerReferences: {
      type: 'array',
      items: { type: 'object', properties: { uid: str, name: str, kind: str, apiVersion: str } },
      patchStrategy: 'merge',
      patchMergeKey: 'uid',
    },
  },
};

const container: SchemaNode = {
  type: 'object',
  properties: {
    name: str,
    image: str,
    imagePullPolicy: str,
    args: strList,
    command: strList,
    ports: {
      type: 'array',
      items: { type: 'object', properties: { name: str, containerPort: int, protocol: str } },
      patchStrategy: 'merge',
      patchMergeKey: 'containerPort',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    },
    env: {
      type: 'array',
      items: { type: 'object', properties: { name: str, value: str, valueFrom: { type: 'object' } } },
      patchStrategy: 'merge',
      patchMergeKey: 'name',
    },
    resources: { type: 'object', properties: { limits: strMap, requests: strMap } },
  },
};

const volume: SchemaNode = {
  type: 'object',
  properties: {
    name: str,
    emptyDir: { type: 'object', properties: { medium: str } },
    configMap: { type: 'object', properties: { name: str } },
  },
};

const podSpec: SchemaNode = {
  type: 'object',
  properties: {
    containers: { type: 'array', items: container, patchStrategy: 'merge', patchMergeKey: 'name' },
    volumes: { type: 'array', items: volume, patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' },
    nodeSelector: strMap,
    tolerations: { type: 'array', items: { type: 'object', properties: { key: str, operator: str, effect: str } } },
  },
};

/** deploymentSchema is the apps/v1 Deployment fragment the tests patch against. */
export const deploymentSchema: SchemaNode = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: {
      type: 'object',
      properties: {
        replicas: int,
        selector: { type: 'object', properties: { matchLabels: strMap } },
        strategy: {
          type: 'object',
          patchStrategy: 'retainKeys',
          properties: {
            type: str,
            rollingUpdate: { type: 'object', properties: { maxSurge: { intOrString: true }, maxUnavailable: { intOrString: true } } },
          },
        },
        template: { type: 'object', properties: { metadata: objectMeta, spec: podSpec } },
      },
    },
  },
};

/** letschat returns a fresh stored copy of the tutorial's letschat Deployment. */
export function letschat(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'letschat',
      namespace: 'default',
      labels: { name: 'letschat', tier: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      finalizers: ['a', 'b', 'c'],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { name: 'letschat' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { name: 'letschat' } },
        spec: {
          containers: [
            {
              name: 'letschat',
              image: 'sdelements/lets-chat',
              imagePullPolicy: 'Always',
              ports: [{ name: 'http-server', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'DEBUG', value: 'true' },
              ],
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          nodeSelector: { disk: 'hdd', zone: 'a' },
          tolerations: [{ key: 'k1', operator: 'Exists' }],
        },
      },
    },
  };
}
