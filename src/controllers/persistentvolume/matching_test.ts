import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { findBestMatch, mismatch } from './matching.js';

const pv = (name: string, size: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], volumeMode: 'Filesystem', ...spec },
  status: { phase: 'Available' },
});
const claim = (spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'c', namespace: 'ns', uid: 'u1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem', ...spec },
});

test('mismatch explains why a volume cannot hold a claim', () => {
  const cases: { pv: KubeObject; claim: KubeObject; want: string | undefined }[] = [
    { pv: pv('a', '1Gi'), claim: claim(), want: undefined },
    { pv: pv('a', '1000Mi'), claim: claim(), want: 'requested PV is too small' },
    { pv: pv('a', '2Gi', { storageClassName: 'x' }), claim: claim(), want: 'storageClassName does not match' },
    { pv: pv('a', '2Gi', { volumeMode: 'Block' }), claim: claim(), want: 'incompatible volumeMode' },
    { pv: pv('a', '2Gi'), claim: claim({ accessModes: ['ReadWriteMany'] }), want: 'incompatible accessMode' },
    { pv: pv('a', '2Gi', {}, { t: 'x' }), claim: claim({ selector: { matchLabels: { t: 'y' } } }), want: 'volume labels do not match the claim selector' },
    { pv: pv('a', '2Gi', {}, { t: 'y' }), claim: claim({ selector: { matchExpressions: [{ key: 't', operator: 'In', values: ['y'] }] } }), want: undefined },
  ];
  for (const c of cases) assert.equal(mismatch(c.pv, c.claim), c.want, JSON.stringify(c.pv.spec));
});

test('findBestMatch prefers pre-bound volumes, then the smallest free Available one', () => {
  const free = [pv('big', '10Gi'), pv('mid', '2Gi'), pv('small', '1Gi'), pv('tiny', '1Mi')];
  assert.equal(findBestMatch(claim(), free, false)?.metadata.name, 'small');
  const taken = pv('taken', '1Gi', { claimRef: { namespace: 'ns', name: 'other' } });
  const released = { ...pv('rel', '1Gi'), status: { phase: 'Released' } };
  assert.equal(findBestMatch(claim(), [taken, released, pv('mid', '2Gi')], false)?.metadata.name, 'mid');
  const prebound = pv('pre', '5Gi', { claimRef: { namespace: 'ns', name: 'c' } });
  assert.equal(findBestMatch(claim(), [...free, prebound], false)?.metadata.name, 'pre');
  assert.equal(findBestMatch(claim(), free, true), undefined);
  assert.equal(findBestMatch(claim(), [...free, prebound], true)?.metadata.name, 'pre');
  const wrongUid = pv('pre2', '5Gi', { claimRef: { namespace: 'ns', name: 'c', uid: 'u0' } });
  assert.equal(findBestMatch(claim(), [wrongUid], false), undefined);
});

test('findBestMatch with a selected node keeps volumes whose node affinity admits it', () => {
  const affinity = (host: string): Record<string, unknown> => ({ nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] } } });
  const vols = [pv('on-a', '1Gi', affinity('a')), pv('on-b', '2Gi', affinity('b'))];
  const nodeB: KubeObject = { metadata: { name: 'b', labels: { 'kubernetes.io/hostname': 'b' } } };
  assert.equal(findBestMatch(claim(), vols, false, nodeB)?.metadata.name, 'on-b');
  assert.equal(findBestMatch(claim(), vols, false)?.metadata.name, 'on-a');
});
