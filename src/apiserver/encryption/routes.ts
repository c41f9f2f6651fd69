import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import type { Logger } from '../../lib/log.js';
import { authenticate } from '../auth.js';
import { writeError, writeJSON } from '../http_io.js';
import { EncryptionConfigError } from './config.js';
import { EncryptionRequestError, type EncryptionManager } from './manager.js';
import { ENCRYPT_CONFIG_PATH, ENCRYPT_STATUS_PATH, type EncryptionRequest } from './protocol.js';

/** EncryptionRoutesOptions configure encryptionRoutes. */
export interface EncryptionRoutesOptions {
  manager: EncryptionManager;
  /** tokenSecret is the password part of the server token (`<data-dir>/server/token`). */
  tokenSecret: string;
  logger: Logger;
}

/** SERVER_TOKEN_USER is the basic-auth user the CLI sends with the server token (k3s's). */
const SERVER_TOKEN_USER = 'server';
const MAX_BODY = 64 * 1024;

function sameSecret(a: string, b: string): boolean {
  const h = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(a), h(b));
}

/** checkCaller throws 401 unless the request carries basic auth `server:<token secret>` or a client certificate of system:masters. */
async function checkCaller(req: IncomingMessage, tokenSecret: string): Promise<void> {
  const user = await authenticate(req, []);
  if (user.groups.includes('system:masters')) return;
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  const text = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon > 0 && text.slice(0, colon) === SERVER_TOKEN_USER && sameSecret(text.slice(colon + 1), tokenSecret)) return;
  throw errors.unauthorized('Unauthorized: secrets-encrypt needs the server token (basic auth server:<token secret>) or an admin client certificate');
}

async function readRequest(req: IncomingMessage): Promise<EncryptionRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw errors.requestEntityTooLarge('Request entity too large: limit is 65536');
    chunks.push(c);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (e) {
    throw errors.badRequest(`invalid secrets-encrypt request: ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.badRequest('invalid secrets-encrypt request: want a JSON object');
  const b = body as Record<string, unknown>;
  const out: EncryptionRequest = {};
  if (typeof b.stage === 'string') out.stage = b.stage;
  if (typeof b.enable === 'boolean') out.enable = b.enable;
  if (b.force === true) out.force = true;
  if (b.skip === true) out.skip = true;
  return out;
}

/**
 * encryptionRoutes serves k3s's secrets-encrypt endpoints (mounted before API authentication, as
 * each checks its caller: the server token or an admin certificate):
 *   - GET ENCRYPT_STATUS_PATH: the EncryptionState.
 *   - PUT ENCRYPT_CONFIG_PATH: an EncryptionRequest (stage prepare, rotate, reencrypt_active,
 *     rotate_keys; or enable true/false); answers the state after it. A refused request is a 400
 *     whose message says why (wrong stage, reencryption in progress).
 */
export function encryptionRoutes(o: EncryptionRoutesOptions): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  return async (req, res, path) => {
    if (path !== ENCRYPT_STATUS_PATH && path !== ENCRYPT_CONFIG_PATH) return false;
    try {
      await checkCaller(req, o.tokenSecret);
      const method = req.method ?? 'GET';
      if (path === ENCRYPT_STATUS_PATH) {
        if (method !== 'GET') throw errors.methodNotSupported({ group: '', resource: path }, method);
        req.resume();
        writeJSON(res, 200, await o.manager.status());
        return true;
      }
      if (method !== 'PUT') throw errors.methodNotSupported({ group: '', resource: path }, method);
      const request = await readRequest(req);
      o.logger.info('secrets-encrypt request', { ...request, remote: req.socket.remoteAddress });
      writeJSON(res, 200, await o.manager.handle(request));
    } catch (e) {
      // Drain what was not read, so the connection stays usable for the next request.
      if (!req.complete) req.resume();
      if (e instanceof EncryptionRequestError || e instanceof EncryptionConfigError) {
        o.logger.warn('secrets-encrypt request refused', { err: e.message });
        writeError(res, errors.badRequest(e.message));
      } else {
        writeError(res, e);
      }
    }
    return true;
  };
}
