import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../lib/clock.js';
import { ServiceAccountAuthenticator, type TokenResult } from './authenticator.js';
import { TokenIssuer } from './issuer.js';
import type { ObjectLookups } from './lookups.js';
import { TokenSigner } from './signer.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const keyPem = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** world is a tiny cluster: objects by `Kind/ns/name`. */
function setup() {
  const clock = new FakeClock();
  const signer = new TokenSigner(keyPem());
  const objects = new Map<string, KubeObject>();
  const put = (kind: string, ns: string, name: string, uid: string, extra: Record<string, unknown> = {}): KubeObject => {
    const o: KubeObject = { metadata: { name, namespace: ns, uid }, ...extra };
    objects.set(`${kind}/${ns}/${name}`, o);
    return o;
  };
  const get = (kind: string) => (ns: string, name: string) => Promise.resolve(objects.get(`${kind}/${ns}/${name}`));
  const lookups: ObjectLookups = { serviceAccount: get('ServiceAccount'), pod: get('Pod'), secret: get('Secret'), node: (name) => get('Node')('', name) };
  const authn = new ServiceAccountAuthenticator({ signer, issuer: ISSUER, apiAudiences: [ISSUER], lookups, clock });
  const issuer = new TokenIssuer(signer, ISSUER, clock);
  put('ServiceAccount', 'shop', 'builder', 'sa-1');
  return { clock, signer, objects, put, authn, issuer };
}

const ok = (r: TokenResult): Extract<TokenResult, { status: 'ok' }> => {
  assert.equal(r.status, 'ok', JSON.stringify(r));
  return r as Extract<TokenResult, { status: 'ok' }>;
};
const refusedWith = (r: TokenResult, error: string): void => assert.deepEqual(r, { status: 'refused', error });

test('a bound token authenticates as its service account until it expires (a minute of leeway)', async () => {
  const w = setup();
  const { token } = await w.issuer.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 600 });
  const r = ok(await w.authn.authenticate(token));
  assert.equal(r.user.name, 'system:serviceaccount:shop:builder');
  assert.equal(r.user.uid, 'sa-1');
  assert.deepEqual(r.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:shop']);
  assert.match(r.user.extra?.['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^JTI=[0-9a-f-]{36}$/);
  assert.deepEqual(r.audiences, [ISSUER]);
  w.clock.advance(600_000 + 60_000);
  ok(await w.authn.authenticate(token));
  w.clock.advance(1000);
  refusedWith(await w.authn.authenticate(token), 'service account token has expired');
  // Issued by a clock two minutes ahead: not valid yet.
  const ahead = new TokenIssuer(w.signer, ISSUER, new FakeClock(w.clock.now() + 120_000));
  const early = (await ahead.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 600 })).token;
  refusedWith(await w.authn.authenticate(early), 'service account token is not valid yet');
});

test('audiences: the API server accepts its own; a review may ask for others', async () => {
  const w = setup();
  const { token } = await w.issuer.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: ['vault'], expirationSeconds: 3600 });
  refusedWith(await w.authn.authenticate(token), `token audiences ["vault"] is invalid for the target audiences ["${ISSUER}"]`);
  assert.deepEqual(ok(await w.authn.authenticate(token, ['vault', 'other'])).audiences, ['vault']);
});

test('a token bound to a pod stops working when the pod is deleted or replaced', async () => {
  const w = setup();
  w.put('Pod', 'shop', 'web', 'pod-1');
  w.put('Node', '', 'n1', 'node-1');
  const { token } = await w.issuer.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 3600, pod: { name: 'web', uid: 'pod-1' }, node: { name: 'n1', uid: 'node-1' } });
  const r = ok(await w.authn.authenticate(token));
  assert.deepEqual(r.user.extra?.['authentication.kubernetes.io/pod-name'], ['web']);
  assert.deepEqual(r.user.extra?.['authentication.kubernetes.io/pod-uid'], ['pod-1']);
  assert.deepEqual(r.user.extra?.['authentication.kubernetes.io/node-name'], ['n1']);
  assert.deepEqual(r.user.extra?.['authentication.kubernetes.io/node-uid'], ['node-1']);
  // Being deleted gracefully: still valid until a minute past the deletion time.
  w.put('Pod', 'shop', 'web', 'pod-1', {}).metadata.deletionTimestamp = new Date(w.clock.now()).toISOString();
  ok(await w.authn.authenticate(token));
  w.clock.advance(61_000);
  refusedWith(await w.authn.authenticate(token), 'service account token has been invalidated');
  w.put('Pod', 'shop', 'web', 'pod-2');
  refusedWith(await w.authn.authenticate(token), 'pod UID (pod-2) does not match service account pod ref claim (pod-1)');
  w.objects.delete('Pod/shop/web');
  refusedWith(await w.authn.authenticate(token), 'service account token has been invalidated');
});

test('the service account must still exist with the same uid; secret- and node-bound tokens follow their object', async () => {
  const w = setup();
  w.put('Secret', 'shop', 'cred', 'sec-1');
  w.put('Node', '', 'n1', 'node-1');
  const base = { namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 3600 };
  const bySecret = (await w.issuer.bound({ ...base, secret: { name: 'cred', uid: 'sec-1' } })).token;
  const byNode = (await w.issuer.bound({ ...base, node: { name: 'n1', uid: 'node-1' } })).token;
  ok(await w.authn.authenticate(bySecret));
  ok(await w.authn.authenticate(byNode));
  w.put('Secret', 'shop', 'cred', 'sec-2');
  refusedWith(await w.authn.authenticate(bySecret), 'secret UID (sec-2) does not match service account secret ref claim (sec-1)');
  w.objects.delete('Node//n1');
  refusedWith(await w.authn.authenticate(byNode), 'service account token has been invalidated');
  w.put('ServiceAccount', 'shop', 'builder', 'sa-2');
  refusedWith(await w.authn.authenticate(bySecret), 'service account UID (sa-2) does not match claim (sa-1)');
  w.objects.delete('ServiceAccount/shop/builder');
  refusedWith(await w.authn.authenticate(bySecret), 'serviceaccounts "builder" not found');
});

test('tampered, foreign-key and foreign-issuer tokens', async () => {
  const w = setup();
  const { token } = await w.issuer.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 3600 });
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url');
  refusedWith(await w.authn.authenticate(`${h}.${forged}.${s}`), 'go-jose/go-jose: error in cryptographic primitive');
  const other = new TokenIssuer(new TokenSigner(keyPem()), ISSUER, w.clock);
  const foreign = (await other.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 3600 })).token;
  refusedWith(await w.authn.authenticate(foreign), 'invalid signature, no keys found');
  const elsewhere = new TokenIssuer(w.signer, 'https://issuer.example', w.clock);
  const notOurs = (await elsewhere.bound({ namespace: 'shop', serviceAccount: { name: 'builder', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 3600 })).token;
  assert.deepEqual(await w.authn.authenticate(notOurs), { status: 'unknown' });
  assert.deepEqual(await w.authn.authenticate('not-a-jwt'), { status: 'unknown' });
  assert.equal(await w.authn.tokenAuthenticator()(notOurs), undefined);
});

test('legacy Secret tokens must match the Secret and its service account', async () => {
  const w = setup();
  const token = await w.issuer.legacy({ namespace: 'shop', serviceAccountName: 'builder', serviceAccountUID: 'sa-1', secretName: 'builder-token' });
  const secret = (data: string): Record<string, unknown> => ({ type: 'kubernetes.io/service-account-token', data: { token: Buffer.from(data).toString('base64') } });
  w.put('Secret', 'shop', 'builder-token', 'sec-1', secret(token));
  const r = ok(await w.authn.authenticate(token));
  assert.equal(r.user.name, 'system:serviceaccount:shop:builder');
  assert.equal(r.user.extra, undefined);
  // Legacy tokens carry no audience: only the API server's own are accepted.
  assert.equal((await w.authn.authenticate(token, ['vault'])).status, 'refused');
  w.put('Secret', 'shop', 'builder-token', 'sec-1', secret('another'));
  refusedWith(await w.authn.authenticate(token), "Token does not match server's copy");
  w.objects.delete('Secret/shop/builder-token');
  refusedWith(await w.authn.authenticate(token), 'Token has been invalidated');
  w.put('Secret', 'shop', 'builder-token', 'sec-1', secret(token));
  w.put('ServiceAccount', 'shop', 'builder', 'sa-2');
  refusedWith(await w.authn.authenticate(token), 'ServiceAccount UID (sa-2) does not match claim (sa-1)');
});
