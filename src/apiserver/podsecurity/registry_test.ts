import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATEST, v1, type Level, type Version } from './level.js';
import { Evaluator, forbiddenDetail, forbiddenReason } from './registry.js';
import { c } from './check_test_helper.js';

const evaluator = new Evaluator();
const run = (level: Level, version: Version, spec: Record<string, unknown>) => evaluator.check({ level, version }, { annotations: {} }, spec);

test('latest is the newest policy version of this build (v1.32)', () => {
  assert.equal(evaluator.maxVersion.minor, 32);
  const spec = { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_wmem', value: '1' }] }, containers: [c('a')] };
  assert.equal(run('baseline', LATEST, spec).allowed, true);
  assert.equal(run('baseline', v1(40), spec).allowed, true, 'newer versions evaluate as the newest');
  assert.equal(run('baseline', v1(31), spec).allowed, false);
});

test('a plain pod at restricted:latest fails the four restricted controls in upstream order', () => {
  const r = run('restricted', LATEST, { containers: [c('x')] });
  assert.equal(forbiddenReason(r), 'allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
  assert.equal(
    forbiddenDetail(r),
    'allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), ' +
      'seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  assert.equal(run('baseline', LATEST, { containers: [c('x')] }).allowed, true);
  assert.equal(run('privileged', LATEST, { hostNetwork: true, containers: [c('x', { privileged: true })] }).allowed, true);
});

test('baseline checks run first; restricted replaces the baseline checks it overrides', () => {
  const spec = { hostNetwork: true, volumes: [{ name: 'h', hostPath: { path: '/' } }], containers: [c('x', { privileged: true, capabilities: { add: ['NET_RAW'] } })] };
  assert.equal(forbiddenReason(run('baseline', LATEST, spec)), 'non-default capabilities, host namespaces, hostPath volumes, privileged');
  assert.equal(
    forbiddenReason(run('restricted', LATEST, spec)),
    'host namespaces, privileged, allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true, seccompProfile',
  );
  // capabilities_restricted only exists from v1.22: before, restricted keeps the baseline capability check.
  assert.equal(forbiddenReason(run('restricted', v1(21), spec)), 'non-default capabilities, host namespaces, privileged, allowPrivilegeEscalation != false, restricted volume types, runAsNonRoot != true, seccompProfile');
});

test('a compliant restricted pod passes', () => {
  const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
  const r = run('restricted', LATEST, { volumes: [{ name: 'token', projected: { sources: [] } }], containers: [c('x', sc)], initContainers: [c('i', sc)] });
  assert.deepEqual(r, { allowed: true, reasons: [], details: [] });
});
