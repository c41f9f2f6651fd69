import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../field_errors.js';
import type { KubeObject } from '../../types.js';
import { priorityclasses } from './priorityclasses.js';

function pc(name: string, value: number, extra: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name, creationTimestamp: '2024-01-01T00:00:00Z' }, value, ...extra };
}

test('priorityclass defaults and validation', () => {
  const p = pc('high', 1000);
  priorityclasses.defaults(p);
  assert.equal(p.preemptionPolicy, 'PreemptLowerPriority');
  const cases: { obj: KubeObject; want: string[] }[] = [
    { obj: p, want: [] },
    { obj: pc('system-node-critical', 2000001000), want: [] },
    { obj: pc('huge', 2000000000), want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'] },
    { obj: pc('system-mine', 5), want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"] },
    { obj: pc('x', 1, { preemptionPolicy: 'Always' }), want: ['preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"'] },
  ];
  for (const c of cases) assert.deepEqual(priorityclasses.validate(c.obj).map((e) => fieldErrorMessage(e)), c.want);
  assert.deepEqual(priorityclasses.validate(pc('high', 2000, { preemptionPolicy: 'PreemptLowerPriority' }), p).map((e) => fieldErrorMessage(e)), ['value: Forbidden: may not be changed in an update.']);
});

test('priorityclass row', () => {
  const p = pc('high', 1000, { globalDefault: true });
  priorityclasses.defaults(p);
  assert.deepEqual(priorityclasses.row(p, Date.parse('2024-01-03T00:00:00Z')), ['high', 1000, true, '2d', 'PreemptLowerPriority']);
  assert.deepEqual([priorityclasses.namespaced, priorityclasses.shortNames], [false, ['pc']]);
});
