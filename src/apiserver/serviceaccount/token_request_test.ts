import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { serviceaccounts } from '../../api/resources/core/serviceaccounts.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import type { AdmissionRequest } from '../admission.js';
import type { Scope } from '../scope.js';
import type { ServedResource } from '../registry.js';
import { TokenIssuer } from './issuer.js';
import type { ObjectLookups } from './lookups.js';
import { TokenSigner } from './signer.js';
import { createToken, type TokenRequestOptions } from './token_request.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function setup(extra: Partial<TokenRequestOptions> = {}) {
  const clock = new FakeClock(1_700_000_000_000);
  const objects = new Map<string, KubeObject>([
    ['ServiceAccount/shop/builder', { metadata: { name: 'builder', namespace: 'shop', uid: 'sa-1' } }],
    ['Pod/shop/web', { metadata: { name: 'web', namespace: 'shop', uid: 'pod-1' }, spec: { serviceAccountName: 'builder', nodeName: 'n1' } }],
    ['Pod/shop/other', { metadata: { name: 'other', namespace: 'shop', uid: 'pod-2' }, spec: { serviceAccountName: 'default' } }],
    ['Node//n1', { metadata: { name: 'n1', uid: 'node-1' } }],
  ]);
  const get = (kind: string) => (ns: string, name: string) => Promise.resolve(objects.get(`${kind}/${ns}/${name}`));
  const lookups: ObjectLookups = { serviceAccount: get('ServiceAccount'), pod: get('Pod'), secret: get('Secret'), node: (n) => get('Node')('', n) };
  const admitted: AdmissionRequest[] = [];
  const signer = new TokenSigner(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const opts: TokenRequestOptions = {
    issuer: new TokenIssuer(signer, ISSUER, clock),
    apiAudiences: [ISSUER],
    lookups,
    clock,
    admission: () => [{ name: 'record', validate: (r) => void admitted.push(r) }],
    ...extra,
  };
  const scope: Scope = { served: { group: '', version: 'v1', type: serviceaccounts } as ServedResource, namespace: 'shop', subresource: 'token', user: { name: 'alice', groups: [] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
  const request = (body: Record<string, unknown>, name = 'builder') => createToken(opts, scope, name, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', ...body });
  return { request, admitted, scope };
}

const claimsOf = (tr: KubeObject): Record<string, unknown> => {
  const token = (tr.status as { token: string }).token;
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
};

test('a TokenRequest gets the default audience and an hour, and runs admission as subresource token', async () => {
  const w = setup();
  const tr = await w.request({ spec: {} });
  assert.deepEqual(tr.metadata, { name: 'builder', namespace: 'shop', creationTimestamp: '2023-11-14T22:13:20Z' });
  assert.deepEqual(tr.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
  assert.equal((tr.status as { expirationTimestamp: string }).expirationTimestamp, '2023-11-14T23:13:20Z');
  const c = claimsOf(tr);
  assert.equal(c.iss, ISSUER);
  assert.equal(c.sub, 'system:serviceaccount:shop:builder');
  assert.deepEqual(c.aud, [ISSUER]);
  assert.equal((c.exp as number) - (c.iat as number), 3600);
  assert.equal(c.nbf, c.iat);
  assert.match(String(c.jti), /^[0-9a-f-]{36}$/);
  assert.deepEqual(c['kubernetes.io'], { namespace: 'shop', serviceaccount: { name: 'builder', uid: 'sa-1' } });
  assert.equal(w.admitted[0]?.subresource, 'token');
  assert.equal(w.admitted[0]?.obj.kind, 'TokenRequest');
});

test('a pod-bound token carries the pod and its node; the kubelet default of 3607 s is extended to a year', async () => {
  const w = setup();
  const tr = await w.request({ spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-1' } } });
  const c = claimsOf(tr);
  const k = c['kubernetes.io'] as Record<string, unknown>;
  assert.deepEqual(k.pod, { name: 'web', uid: 'pod-1' });
  assert.deepEqual(k.node, { name: 'n1', uid: 'node-1' });
  assert.equal((c.exp as number) - (c.iat as number), 365 * 24 * 3600);
  assert.equal((k.warnafter as number) - (c.iat as number), 3607);
  // The answer still says an hour and 7 s, so the kubelet renews within the hour.
  assert.equal((tr.status as { expirationTimestamp: string }).expirationTimestamp, '2023-11-14T23:13:27Z');
  // Another audience, or no pod: no extension.
  const other = claimsOf(await w.request({ spec: { audiences: ['vault'], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } } }));
  assert.equal((other.exp as number) - (other.iat as number), 3607);
});

test('TokenRequest refusals use kube-apiserver words', async () => {
  const w = setup({ maxExpirationSeconds: 7200 });
  const refused = async (body: Record<string, unknown>, message: string, name = 'builder'): Promise<void> => {
    await assert.rejects(w.request(body, name), (e: { status?: { message?: string } }) => {
      assert.equal(e.status?.message, message);
      return true;
    });
  };
  await refused({ spec: { expirationSeconds: 599 } }, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
  await refused({ spec: { expirationSeconds: 2 ** 32 + 1 } }, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds');
  await refused({ metadata: { name: 'x' }, spec: {} }, 'TokenRequest.authentication.k8s.io "builder" is invalid: metadata.name: Invalid value: "x": must match the service account name if specified');
  await refused({ spec: {} }, 'serviceaccounts "ghost" not found', 'ghost');
  await refused({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } } }, 'pods "gone" not found');
  await refused({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } } }, 'cannot bind token for serviceaccount "builder" to pod running with different serviceaccount name.');
  await refused(
    { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'stale' } } },
    'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
  );
  await refused({ spec: { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } } }, 'cannot bind token to object of type /v1, Kind=ConfigMap');
  await refused({ spec: { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'nope' } } }, 'secrets "nope" not found');
  // Past --service-account-max-token-expiration: shortened, with a warning.
  const tr = await w.request({ spec: { expirationSeconds: 86400 } });
  assert.equal((tr.spec as { expirationSeconds: number }).expirationSeconds, 7200);
  assert.deepEqual(w.scope.warnings, ['requested expiration of 86400 seconds shortened to 7200 seconds']);
});
