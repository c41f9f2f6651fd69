import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIGURATION, loadPodSecurityConfiguration, parsePodSecurityConfiguration } from './config.js';
import { levelVersionString } from './level.js';

const psc = (body: Record<string, unknown>) => ({ apiVersion: 'pod-security.admission.config.k8s.io/v1', kind: 'PodSecurityConfiguration', ...body });

test('defaults: unset levels are privileged, unset versions latest', () => {
  const cfg = parsePodSecurityConfiguration(psc({ defaults: { enforce: 'baseline', 'audit-version': 'v1.29', warn: '' } }));
  assert.equal(levelVersionString(cfg.defaults.enforce), 'baseline:latest');
  assert.equal(levelVersionString(cfg.defaults.audit), 'privileged:v1.29');
  assert.equal(levelVersionString(cfg.defaults.warn), 'privileged:latest');
  assert.deepEqual(cfg.exemptions, { usernames: [], namespaces: [], runtimeClasses: [] });
  assert.deepEqual(parsePodSecurityConfiguration(undefined), DEFAULT_CONFIGURATION);
});

test('validation words problems as upstream', () => {
  const bad = psc({ defaults: { enforce: 'strict', 'warn-version': '1.2' }, exemptions: { namespaces: ['Kube_System', 'a', 'a'], usernames: [''] } });
  assert.throws(() => parsePodSecurityConfiguration(bad), (e: Error) => {
    assert.match(e.message, /defaults\.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted/);
    assert.match(e.message, /defaults\.warn-version: Invalid value: "1\.2": must be "latest" or "v1\.x"/);
    assert.match(e.message, /exemptions\.namespaces\[0\]: Invalid value: "Kube_System": a lowercase RFC 1123 label/);
    assert.match(e.message, /exemptions\.namespaces\[2\]: Duplicate value: "a"/);
    assert.match(e.message, /exemptions\.usernames\[0\]: Required value/);
    return true;
  });
  assert.throws(() => parsePodSecurityConfiguration({ apiVersion: 'v1', kind: 'ConfigMap' }), /want kind PodSecurityConfiguration/);
});

test('loadPodSecurityConfiguration reads an AdmissionConfiguration, inline or by path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'psa-config-'));
  const inline = join(dir, 'inline.yaml');
  writeFileSync(
    inline,
    `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: restricted
      enforce-version: latest
    exemptions:
      namespaces: [kube-system]
      usernames: [admin]
      runtimeClasses: [gvisor]
`,
  );
  const cfg = loadPodSecurityConfiguration(inline);
  assert.equal(levelVersionString(cfg.defaults.enforce), 'restricted:latest');
  assert.deepEqual(cfg.exemptions, { usernames: ['admin'], namespaces: ['kube-system'], runtimeClasses: ['gvisor'] });

  writeFileSync(join(dir, 'psa.yaml'), 'apiVersion: pod-security.admission.config.k8s.io/v1beta1\nkind: PodSecurityConfiguration\ndefaults:\n  warn: baseline\n');
  const byPath = join(dir, 'by-path.yaml');
  writeFileSync(byPath, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: psa.yaml\n');
  assert.equal(levelVersionString(loadPodSecurityConfiguration(byPath).defaults.warn), 'baseline:latest');

  const other = join(dir, 'other.yaml');
  writeFileSync(other, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: EventRateLimit\n  path: x.yaml\n');
  assert.deepEqual(loadPodSecurityConfiguration(other), DEFAULT_CONFIGURATION);

  const wrong = join(dir, 'wrong.yaml');
  writeFileSync(wrong, 'kind: PodSecurityConfiguration\n');
  assert.throws(() => loadPodSecurityConfiguration(wrong), /want an AdmissionConfiguration/);
});
