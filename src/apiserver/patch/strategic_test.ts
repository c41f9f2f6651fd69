import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { field } from '../../api/object.js';
import type { JsonObject } from '../../api/types.js';
import { deploymentSchema, letschat } from './fixtures_test.js';
import { applyPatch } from './index.js';

/** Strategic merge patches as kubectl sends them (apply, patch, scale, label, annotate, edit). */

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
const container = ['spec', 'template', 'spec', 'containers'];
const first = [...container, 0];

interface Case {
  name: string;
  patch: JsonObject;
  /** expect maps a path in the result to the value it must hold (undefined: absent). */
  expect: [(string | number)[], unknown][];
}

const cases: Case[] = [
  {
    name: 'apply: changed image merges the container by name, keeping server-side fields',
    patch: {
      metadata: { annotations: { [lastApplied]: '{"new":"config"}' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'letschat' }],
            containers: [{ image: 'sdelements/lets-chat:0.4.8', name: 'letschat' }],
          },
        },
      },
    },
    expect: [
      [[...first, 'image'], 'sdelements/lets-chat:0.4.8'],
      [[...first, 'imagePullPolicy'], 'Always'],
      [[...first, 'ports', 0, 'protocol'], 'TCP'],
      [['metadata', 'annotations'], { 'deployment.kubernetes.io/revision': '1', [lastApplied]: '{"new":"config"}' }],
      [[...container, 1], undefined],
    ],
  },
  { name: 'apply: changed replicas', patch: { spec: { replicas: 3 } }, expect: [[['spec', 'replicas'], 3]] },
  { name: 'kubectl scale', patch: { spec: { replicas: 10 } }, expect: [[['spec', 'replicas'], 10]] },
  {
    name: 'apply: a label removed from the manifest is sent as null',
    patch: { metadata: { labels: { tier: null } } },
    expect: [[['metadata', 'labels'], { name: 'letschat' }]],
  },
  {
    name: 'kubectl label / annotate: set one key, remove another',
    patch: { metadata: { labels: { a: 'b', tier: null, c: null }, annotations: { note: 'x' } } },
    expect: [
      [['metadata', 'labels'], { name: 'letschat', a: 'b' }],
      [['metadata', 'annotations', 'note'], 'x'],
    ],
  },
  {
    name: 'apply: a new container port merges by containerPort',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'letschat' }],
            containers: [
              {
                '$setElementOrder/ports': [{ containerPort: 8080 }, { containerPort: 8443 }],
                name: 'letschat',
                ports: [{ containerPort: 8443, name: 'https' }],
              },
            ],
          },
        },
      },
    },
    expect: [
      [
        [...first, 'ports'],
        [
          { name: 'http-server', containerPort: 8080, protocol: 'TCP' },
          { containerPort: 8443, name: 'https' },
        ],
      ],
    ],
  },
  {
    name: 'apply: an env var removed from the manifest is a $patch: delete element',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'letschat' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'DEBUG' }], name: 'letschat' }],
          },
        },
      },
    },
    expect: [[[...first, 'env'], [{ name: 'A', value: '1' }]]],
  },
  {
    name: 'apply: a renamed container is a delete of the old name plus a new element',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'chat' }],
            containers: [
              { name: 'chat', image: 'sdelements/lets-chat', ports: [{ containerPort: 8080, name: 'http-server' }] },
              { $patch: 'delete', name: 'letschat' },
            ],
          },
        },
      },
    },
    expect: [[container, [{ name: 'chat', image: 'sdelements/lets-chat', ports: [{ containerPort: 8080, name: 'http-server' }] }]]],
  },
  {
    name: 'env: changed value merges by name, null drops a member',
    patch: { spec: { template: { spec: { containers: [{ name: 'letschat', env: [{ name: 'DEBUG', value: null, valueFrom: { x: 1 } }] }] } } } },
    expect: [
      [
        [...first, 'env'],
        [
          { name: 'A', value: '1' },
          { name: 'DEBUG', valueFrom: { x: 1 } },
        ],
      ],
    ],
  },
  {
    name: 'kubectl patch: a new container goes before the server-only ones',
    patch: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox', args: null }] } } } },
    expect: [
      [[...container, 0], { name: 'sidecar', image: 'busybox' }],
      [[...container, 1, 'name'], 'letschat'],
    ],
  },
  {
    name: 'apply: $setElementOrder/containers puts a new container last',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'letschat' }, { name: 'sidecar' }],
            containers: [{ name: 'sidecar', image: 'busybox' }],
          },
        },
      },
    },
    expect: [
      [[...container, 0, 'name'], 'letschat'],
      [[...container, 1], { name: 'sidecar', image: 'busybox' }],
    ],
  },
  {
    name: 'apply: $retainKeys on strategy switches RollingUpdate to Recreate',
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    expect: [[['spec', 'strategy'], { type: 'Recreate' }]],
  },
  {
    name: 'apply: $retainKeys in a volume switches its source',
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, name: 'data' }],
          },
        },
      },
    },
    expect: [[['spec', 'template', 'spec', 'volumes'], [{ name: 'data', configMap: { name: 'cfg' } }]]],
  },
  {
    name: 'apply: $deleteFromPrimitiveList/finalizers',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    expect: [[['metadata', 'finalizers'], ['a', 'c']]],
  },
  {
    name: 'apply: finalizers delete + add + order, as kubectl computes them',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'], '$setElementOrder/finalizers': ['a', 'c', 'd'], finalizers: ['d'] } },
    expect: [[['metadata', 'finalizers'], ['a', 'c', 'd']]],
  },
  {
    // Interleaving as upstream: c was behind b on the server, and d (new) wins its tie with c.
    name: 'a primitive merge list is a union',
    patch: { metadata: { finalizers: ['b', 'd'] } },
    expect: [[['metadata', 'finalizers'], ['a', 'b', 'd', 'c']]],
  },
  {
    name: 'an empty merge list changes nothing',
    patch: { spec: { template: { spec: { containers: [] } } } },
    expect: [[[...first, 'name'], 'letschat']],
  },
  {
    name: '$patch: replace on a list',
    patch: { spec: { template: { spec: { containers: [{ name: 'only', image: 'x', env: null }, { $patch: 'replace' }] } } } },
    expect: [[container, [{ name: 'only', image: 'x' }]]],
  },
  {
    name: '$patch: replace on a map',
    patch: { spec: { template: { spec: { nodeSelector: { $patch: 'replace', disk: 'ssd' } } } } },
    expect: [[['spec', 'template', 'spec', 'nodeSelector'], { disk: 'ssd' }]],
  },
  {
    name: '$patch: delete on a map field removes it',
    patch: { spec: { template: { spec: { nodeSelector: { $patch: 'delete' } } } } },
    expect: [[['spec', 'template', 'spec', 'nodeSelector'], undefined]],
  },
  {
    name: '$patch: delete on a struct field empties it, as upstream',
    patch: { spec: { strategy: { $patch: 'delete' } } },
    expect: [[['spec', 'strategy'], {}]],
  },
  {
    name: 'lists without a strategy are replaced',
    patch: { spec: { template: { spec: { tolerations: [{ key: 'k2', operator: 'Exists', effect: null }] } } } },
    expect: [[['spec', 'template', 'spec', 'tolerations'], [{ key: 'k2', operator: 'Exists' }]]],
  },
  {
    name: 'a value of another type replaces the original',
    patch: { spec: { template: { spec: { nodeSelector: 'oops' } } } },
    expect: [[['spec', 'template', 'spec', 'nodeSelector'], 'oops']],
  },
  {
    name: 'new fields are stored without directives or nulls',
    patch: { spec: { paused: true, extra: { a: null, b: { $patch: 'delete' }, '$setElementOrder/x': [], c: [{ $patch: 'delete', n: 1 }, { n: 2 }] } } },
    expect: [
      [['spec', 'paused'], true],
      [['spec', 'extra'], { c: [{ n: 2 }] }],
    ],
  },
];

describe('strategic merge patch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = applyPatch(letschat(), c.patch, 'strategic', deploymentSchema);
      for (const [path, want] of c.expect) {
        assert.deepEqual(field(got, ...path), want, `at ${path.join('.')}`);
      }
    });
  }

  it('reorders by $setElementOrder alone', () => {
    const live = letschat();
    const spec = field(live, 'spec', 'template', 'spec') as JsonObject;
    spec['containers'] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }] } } } };
    const got = applyPatch(live, patch, 'strategic', deploymentSchema);
    // b is server-only and was ahead of c on the server, so it stays ahead of it (upstream's interleave).
    assert.deepEqual(field(got, ...container), [{ name: 'b' }, { name: 'c' }, { name: 'a' }]);
  });

  it('never mutates the original or the patch', () => {
    const live = letschat();
    const patch = {
      metadata: { labels: { tier: null }, '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' }, template: { spec: { containers: [{ name: 'x', $patch: 'replace' }] } } },
    };
    const liveBefore = structuredClone(live);
    const patchBefore = structuredClone(patch);
    applyPatch(live, patch, 'strategic', deploymentSchema);
    assert.deepEqual(live, liveBefore);
    assert.deepEqual(patch, patchBefore);
  });

  it('without a schema behaves as a merge patch and strips directives', () => {
    const live = { metadata: { labels: { a: '1', b: '2' } }, spec: { items: [{ name: 'x' }, { name: 'y' }], keep: 1 } };
    const patch = {
      metadata: { labels: { b: null, c: '3' } },
      spec: { items: [{ name: 'z' }, { name: 'x', $patch: 'delete' }], '$setElementOrder/items': [{ name: 'z' }], extra: { $retainKeys: ['q'], q: 1 } },
    };
    const got = applyPatch(live, patch, 'strategic', undefined);
    assert.deepEqual(got, { metadata: { labels: { a: '1', c: '3' } }, spec: { items: [{ name: 'z' }], keep: 1, extra: { q: 1 } } });
  });

  it('a null patch changes nothing', () => {
    assert.deepEqual(applyPatch(letschat(), null, 'strategic', deploymentSchema), letschat());
  });
});
