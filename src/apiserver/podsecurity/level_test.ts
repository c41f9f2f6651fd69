import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATEST, compareLevels, levelVersionString, parseLevel, parseVersion, policyToEvaluate, v1, type Policy } from './level.js';

const defaults: Policy = {
  enforce: { level: 'privileged', version: LATEST },
  audit: { level: 'privileged', version: LATEST },
  warn: { level: 'privileged', version: LATEST },
};

test('parseVersion takes latest and v1.N only', () => {
  const cases: [string, string, boolean][] = [
    ['latest', 'latest', true],
    ['v1.0', 'v1.0', true],
    ['v1.32', 'v1.32', true],
    ['v1.100', 'v1.100', true],
    ['v1.01', 'latest', false],
    ['1.25', 'latest', false],
    ['v2.0', 'latest', false],
    ['', 'latest', false],
    ['Latest', 'latest', false],
  ];
  for (const [input, want, ok] of cases) {
    const r = parseVersion(input);
    assert.equal(levelVersionString({ level: 'baseline', version: r.version }), `baseline:${want}`, input);
    assert.equal(r.error === undefined, ok, input);
  }
  assert.equal(parseVersion('v1.x').error, 'must be "latest" or "v1.x"');
});

test('parseLevel and compareLevels', () => {
  assert.deepEqual(parseLevel('baseline'), { level: 'baseline' });
  assert.deepEqual(parseLevel('Baseline'), { level: 'restricted', error: 'must be one of privileged, baseline, restricted' });
  assert.equal(compareLevels('restricted', 'baseline'), 1);
  assert.equal(compareLevels('privileged', 'baseline'), -1);
  assert.equal(compareLevels('baseline', 'baseline'), 0);
});

test('policyToEvaluate falls back to defaults and fails closed for enforce, open for audit and warn', () => {
  const r = policyToEvaluate(
    {
      'pod-security.kubernetes.io/enforce': 'strict',
      'pod-security.kubernetes.io/audit': 'nope',
      'pod-security.kubernetes.io/warn': 'baseline',
      'pod-security.kubernetes.io/warn-version': 'v1.30',
      'pod-security.kubernetes.io/audit-version': 'v9',
    },
    defaults,
  );
  assert.equal(levelVersionString(r.policy.enforce), 'restricted:latest');
  assert.equal(levelVersionString(r.policy.audit), 'privileged:latest');
  assert.equal(levelVersionString(r.policy.warn), 'baseline:v1.30');
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.badValue, e.detail]),
    [
      ['metadata.labels[pod-security.kubernetes.io/enforce]', 'strict', 'must be one of privileged, baseline, restricted'],
      ['metadata.labels[pod-security.kubernetes.io/audit]', 'nope', 'must be one of privileged, baseline, restricted'],
      ['metadata.labels[pod-security.kubernetes.io/audit-version]', 'v9', 'must be "latest" or "v1.x"'],
    ],
  );
  const none = policyToEvaluate(undefined, { ...defaults, enforce: { level: 'baseline', version: v1(29) } });
  assert.equal(levelVersionString(none.policy.enforce), 'baseline:v1.29');
  assert.equal(none.errors.length, 0);
});
