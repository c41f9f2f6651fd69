import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, type KeyObject } from 'node:crypto';

/** SigningAlgorithm is the webcrypto algorithm a key signs certificates with (hash included). */
export type SigningAlgorithm = webcrypto.EcdsaParams | (webcrypto.Algorithm & { hash: string });

/** SigningKey is a private key imported for signing, its public half, and how it signs. */
export interface SigningKey {
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
  algorithm: SigningAlgorithm;
}

/**
 * generateKeyPem creates a fresh ECDSA P-256 private key and returns it as SEC1 PEM
 * ("EC PRIVATE KEY"), the form k3s writes. P-256 generation takes well under a millisecond.
 */
export function generateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'sec1', format: 'pem' }).toString();
}

/** algorithmsFor maps a node KeyObject to the webcrypto import and signing algorithms; throws for unsupported key types. */
function algorithmsFor(key: KeyObject): { imp: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams; sign: SigningAlgorithm } {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { imp: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } };
    if (curve === 'secp384r1') return { imp: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } };
    throw new Error(`unsupported EC curve ${curve ?? 'unknown'} (want P-256 or P-384)`);
  }
  if (key.asymmetricKeyType === 'rsa') {
    return { imp: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  }
  throw new Error(`unsupported private key type ${key.asymmetricKeyType ?? 'unknown'} (want EC or RSA)`);
}

/**
 * importSigningKey parses a PEM private key (SEC1, PKCS#8 or PKCS#1) into webcrypto keys usable
 * by @peculiar/x509. EC P-256/P-384 and RSA keys are accepted; anything else throws.
 */
export async function importSigningKey(keyPem: string): Promise<SigningKey> {
  const key = createPrivateKey(keyPem);
  const { imp, sign } = algorithmsFor(key);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  // Extractable: x509 exports the public key into the certificate; the private key never leaves.
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, imp, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, imp, true, ['verify']);
  return { privateKey, publicKey, algorithm: sign };
}

/** publicKeyDer returns the SubjectPublicKeyInfo DER of a PEM private key, to compare with a certificate's. */
export function publicKeyDer(keyPem: string): Buffer {
  return createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
}
