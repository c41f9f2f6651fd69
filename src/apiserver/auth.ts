import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { errors } from '../api/errors.js';

/** UserInfo is who made a request. */
export interface UserInfo {
  name: string;
  groups: string[];
  /** uid identifies the user across name reuse (a service account's uid); absent for certificates. */
  uid?: string;
  /** extra carries authenticator-specific facts (e.g. `authentication.kubernetes.io/pod-name`). */
  extra?: Record<string, string[]>;
}

/** ANONYMOUS is the user of requests without credentials. */
export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/** TokenAuthenticator resolves a bearer token to a user, or undefined when it is not known. */
export type TokenAuthenticator = (token: string) => UserInfo | undefined | Promise<UserInfo | undefined>;

/**
 * authenticate identifies the caller: a client certificate verified against the client CA (CN is
 * the user, O the groups), else a bearer token, else anonymous.
 */
export async function authenticate(req: IncomingMessage, tokens: TokenAuthenticator[]): Promise<UserInfo> {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate === 'function' && socket.authorized) {
    const user = certUser(socket);
    if (user) return user;
  }
  const auth = req.headers.authorization;
  if (auth && /^bearer /i.test(auth)) {
    const token = auth.slice(7).trim();
    for (const t of tokens) {
      const u = await t(token);
      if (u) return { ...u, groups: [...u.groups, 'system:authenticated'] };
    }
    // A token nobody knows is a failed login, not an anonymous request.
    throw errors.unauthorized();
  }
  return ANONYMOUS;
}

// The client certificate cannot change on a connection: decode it once per socket, not per request
// (getPeerCertificate builds a fresh object each call and was the hottest frame under load).
const certUsers = new WeakMap<TLSSocket, UserInfo | null>();

function certUser(socket: TLSSocket): UserInfo | undefined {
  const known = certUsers.get(socket);
  if (known !== undefined) return known ?? undefined;
  const subject = socket.getPeerCertificate()?.subject as unknown as Record<string, string | string[]> | undefined;
  const cn = subject?.CN;
  let user: UserInfo | null = null;
  if (typeof cn === 'string' && cn) {
    const o = subject?.O;
    const groups = Array.isArray(o) ? o : typeof o === 'string' ? [o] : [];
    user = { name: cn, groups: [...groups, 'system:authenticated'] };
  }
  certUsers.set(socket, user);
  return user ?? undefined;
}

/** PUBLIC_PATHS may be read anonymously, as kube-apiserver's system:public-info-viewer allows. */
export const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz', '/cacerts']);
