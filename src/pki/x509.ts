// reflect-metadata must be evaluated before @peculiar/x509 (tsyringe needs it); ESM evaluates imports in order.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

// Why: x509 defaults to globalThis.crypto; pin it to Node's webcrypto so keys made by node:crypto
// and imported through webcrypto.subtle are the ones it signs with.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** x509 is @peculiar/x509, ready to use (polyfill loaded, Node webcrypto provider set). Import it from here, never directly. */
export { x509 };
