import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { compactVerify, importJWK } from 'jose';
import { oidcDiscovery } from './oidc.js';
import { TokenSigner } from './signer.js';

function call(handler: ReturnType<typeof oidcDiscovery>, path: string, method = 'GET'): { handled: boolean; headers: Record<string, unknown>; body: string } {
  let headers: Record<string, unknown> = {};
  let body = '';
  const res = {
    writeHead: (_code: number, h: Record<string, unknown>) => (headers = h),
    end: (b?: Buffer) => (body = b ? b.toString() : ''),
  } as unknown as ServerResponse;
  const handled = handler({ method } as IncomingMessage, res, path);
  return { handled, headers, body };
}

test('OIDC discovery: the configuration and the key set relying parties verify tokens with', async () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const signer = new TokenSigner(pem);
  const handler = oidcDiscovery({ issuer: 'https://kubernetes.default.svc.cluster.local', jwksUri: () => 'https://10.0.0.1:6443/openid/v1/jwks', signer });
  const config = call(handler, '/.well-known/openid-configuration');
  assert.equal(config.handled, true);
  assert.equal(config.headers['Content-Type'], 'application/json');
  assert.equal(config.headers['Cache-Control'], 'public, max-age=3600');
  assert.deepEqual(JSON.parse(config.body), {
    issuer: 'https://kubernetes.default.svc.cluster.local',
    jwks_uri: 'https://10.0.0.1:6443/openid/v1/jwks',
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
  const jwks = call(handler, '/openid/v1/jwks/');
  assert.equal(jwks.headers['Content-Type'], 'application/jwk-set+json');
  const { keys } = JSON.parse(jwks.body) as { keys: { kid: string; alg: string; use: string; kty: string }[] };
  assert.equal(keys.length, 1);
  assert.deepEqual([keys[0]?.kid, keys[0]?.alg, keys[0]?.use, keys[0]?.kty], [signer.keyId, 'RS256', 'sig', 'RSA']);
  // A token signed by the server verifies against the published key alone.
  const token = await signer.sign({ sub: 'x' });
  const key = await importJWK(keys[0]!, 'RS256');
  assert.equal(new TextDecoder().decode((await compactVerify(token, key)).payload), '{"sub":"x"}');
  assert.equal(createPublicKey(pem).export({ format: 'jwk' }).n, (keys[0] as unknown as { n: string }).n);
  assert.equal(call(handler, '/openid/v1/other').handled, false);
  assert.equal(call(handler, '/openid/v1/jwks', 'POST').handled, false);
});
