import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import type { JsonObject } from '../../api/types.js';
import { deploymentSchema, letschat } from './fixtures_test.js';
import { applyPatch } from './index.js';

/** Malformed strategic merge patches: status codes and upstream's messages. */

const inPodSpec = (spec: JsonObject): JsonObject => ({ spec: { template: { spec } } });

interface Case {
  name: string;
  patch: unknown;
  code: number;
  message: string | RegExp;
  /** live adjusts the stored object before patching. */
  live?: (o: JsonObject) => void;
}

const cases: Case[] = [
  {
    name: 'unknown $patch value on a map',
    patch: { spec: { strategy: { $patch: 'bogus', type: 'Recreate' } } },
    code: 400,
    message: 'unknown patch type: bogus in map: map[$patch:bogus type:Recreate]',
  },
  {
    name: 'unknown $patch value in a list element',
    patch: inPodSpec({ containers: [{ name: 'letschat', $patch: 'bogus' }] }),
    code: 400,
    message: 'unknown patch type: bogus in map: map[$patch:bogus name:letschat]',
  },
  {
    name: 'element of a merging list without its merge key',
    patch: inPodSpec({ containers: [{ image: 'nginx' }] }),
    code: 400,
    message: 'map: map[image:nginx] does not contain declared merge key: name',
  },
  {
    name: '$patch: delete element without its merge key',
    patch: inPodSpec({ containers: [{ $patch: 'delete', image: 'nginx' }] }),
    code: 400,
    message: 'map: map[$patch:delete image:nginx] does not contain declared merge key: name',
  },
  {
    name: '$retainKeys that is not a list',
    patch: { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'patch key missing from $retainKeys',
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  {
    name: '$deleteFromPrimitiveList without a field',
    patch: { metadata: { $deleteFromPrimitiveList: ['a'] } },
    code: 400,
    message: 'invalid patch format of primitive list',
  },
  {
    name: '$setElementOrder without a field',
    patch: { metadata: { $setElementOrder: ['a'] } },
    code: 400,
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: '$setElementOrder that disagrees with the patch list',
    patch: inPodSpec({ '$setElementOrder/containers': [{ name: 'letschat' }], containers: [{ name: 'other' }] }),
    code: 400,
    message: /^the order in patch list:\n\[map\[name:other\]\]\n doesn't match \$setElementOrder list:\n\[map\[name:letschat\]\]$/,
  },
  {
    name: 'list of lists in a merging list',
    live: (o) => ((o['metadata'] as JsonObject)['finalizers'] = []),
    patch: { metadata: { finalizers: [['x']] } },
    code: 422,
    message: 'the server rejected our request due to an error in our request',
  },
  {
    name: 'mixed element types in a merging list',
    patch: inPodSpec({ containers: ['letschat'] }),
    code: 400,
    message: /^list element types are not identical: /,
  },
  {
    name: 'patch body that is not an object',
    patch: [{ op: 'add' }],
    code: 400,
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
];

describe('strategic merge patch errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      const live = letschat();
      c.live?.(live);
      assert.throws(
        () => applyPatch(live, c.patch, 'strategic', deploymentSchema),
        (e: unknown) => {
          assert.ok(isStatusError(e), 'a StatusError');
          assert.equal(e.code, c.code);
          assert.equal(e.reason, c.code === 400 ? 'BadRequest' : 'Invalid');
          if (typeof c.message === 'string') assert.equal(e.status.message, c.message);
          else assert.match(e.status.message ?? '', c.message);
          return true;
        },
      );
    });
  }
});
