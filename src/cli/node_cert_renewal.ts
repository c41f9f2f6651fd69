// A joined agent renews its client and serving certificates before they expire, without a
// restart: at 80 % of their validity it asks the server for new ones with the node token (the
// join endpoints, as k3s agents ask the supervisor) and swaps them into new TLS contexts.
import type { ApiRequest, Transport, WatchMessage, WatchRequest } from '../api/transport.js';
import type { HttpTransport } from '../client/http_transport.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { certificateNotAfter, pemCertificates, type NodeCredentials } from '../pki/agent.js';
import { UsageError } from './flags.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** validity returns the [notBefore, notAfter] of a PEM certificate's first certificate, in ms. */
function validity(certPem: string): [number, number] {
  const cert = pemCertificates(certPem)[0]!;
  return [Date.parse(cert.validFrom), certificateNotAfter(cert)];
}

/** renewalTime is when the earlier of the two node certificates reaches `fraction` of its validity. */
export function renewalTime(creds: NodeCredentials, fraction: number): number {
  return Math.min(...[creds.client.certPem, creds.serving.certPem].map((pem) => {
    const [from, to] = validity(pem);
    return from + fraction * (to - from);
  }));
}

/** expiryOf is when the first of the two node certificates expires. */
export function expiryOf(creds: NodeCredentials): number {
  return Math.min(validity(creds.client.certPem)[1], validity(creds.serving.certPem)[1]);
}

/** NodeCertRenewalOptions configure startNodeCertRenewal. */
export interface NodeCertRenewalOptions {
  current: NodeCredentials;
  /** fetch asks the server for new credentials (and stores them); a UsageError is a refusal (token, password). */
  fetch(): Promise<NodeCredentials>;
  /** apply puts new credentials to use: a new client TLS context and the kubelet API's certificate. */
  apply(creds: NodeCredentials): void | Promise<void>;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** renewFraction is the share of the validity after which renewal starts (default 0.8). */
  renewFraction?: number;
  /** attempts per round (default 5), the first backoff doubling up to 60 s (default 2 s). */
  attempts?: number;
  backoffMs?: number;
  /** retryIntervalMs separates failed rounds (default 10 minutes; halved towards expiry). */
  retryIntervalMs?: number;
}

/** sleep waits ms on the clock, in steps of at most a day (Node timers overflow past ~24.8 days); false when aborted. */
async function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  const until = clock.now() + ms;
  while (!signal.aborted && clock.now() < until) {
    await new Promise<void>((resolve) => {
      const cancel = clock.setTimeout(done, Math.min(until - clock.now(), DAY_MS));
      function done(): void {
        cancel();
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
  return !signal.aborted;
}

/** renewRound tries o.attempts times with doubling backoff; undefined when every try failed (or the server refused). */
async function renewRound(o: NodeCertRenewalOptions): Promise<NodeCredentials | undefined> {
  const attempts = o.attempts ?? 5;
  let backoff = o.backoffMs ?? 2000;
  for (let i = 1; i <= attempts && !o.signal.aborted; i++) {
    try {
      return await o.fetch();
    } catch (e) {
      const refused = e instanceof UsageError;
      o.logger.warn('renewing the node certificates failed', { attempt: i, of: attempts, err: (e as Error).message });
      if (refused) return undefined;
      if (i < attempts && !(await sleep(o.clock, backoff, o.signal))) return undefined;
      backoff = Math.min(backoff * 2, 60_000);
    }
  }
  return undefined;
}

/**
 * startNodeCertRenewal renews the node's certificates from renewalTime on, in rounds of bounded
 * retries; after a failed round it logs what to do and tries again (retryIntervalMs, sooner as
 * expiry nears), until the certificates expire. The promise ends when the signal aborts or the
 * certificates expired unrenewed.
 */
export async function startNodeCertRenewal(o: NodeCertRenewalOptions): Promise<void> {
  const fraction = o.renewFraction ?? 0.8;
  let creds = o.current;
  while (!o.signal.aborted) {
    if (!(await sleep(o.clock, Math.max(0, renewalTime(creds, fraction) - o.clock.now()), o.signal))) return;
    const fresh = await renewRound(o);
    if (o.signal.aborted) return;
    if (fresh) {
      await o.apply(fresh);
      creds = fresh;
      o.logger.info('renewed the node certificates', { expires: new Date(expiryOf(fresh)).toISOString(), nextRenewal: new Date(renewalTime(fresh, fraction)).toISOString() });
      continue;
    }
    const expiry = expiryOf(creds);
    const left = expiry - o.clock.now();
    if (left <= 0) {
      o.logger.error('the node certificates expired and could not be renewed: restart skiff agent once the server is reachable and accepts the node token (it joins again)');
      return;
    }
    const wait = Math.max(1000, Math.min(o.retryIntervalMs ?? 600_000, left / 2));
    o.logger.error('could not renew the node certificates: check that the server is reachable and that --token is still the one in the server\'s node-token file; retrying', { expires: new Date(expiry).toISOString(), retryInSeconds: Math.round(wait / 1000) });
    if (!(await sleep(o.clock, wait, o.signal))) return;
  }
}

/**
 * RenewableTransport is the agent's API transport across certificate renewals: swap() routes new
 * requests and watches through a transport with the new client certificate at once, and closes
 * the old one after graceMs (its watches end; informers watch again on the new one).
 */
export class RenewableTransport implements Transport {
  private readonly retired = new Set<HttpTransport>();

  constructor(
    private current: HttpTransport,
    private readonly clock: Clock,
    private readonly graceMs = 60_000,
  ) {}

  request(req: ApiRequest): Promise<unknown> {
    return this.current.request(req);
  }

  watch(req: WatchRequest, onEvent: (e: WatchMessage) => void, onClose: (err?: Error) => void): Promise<() => void> {
    return this.current.watch(req, onEvent, onClose);
  }

  /** swap makes next the transport of every new call and retires the current one. */
  swap(next: HttpTransport): void {
    const old = this.current;
    this.current = next;
    this.retired.add(old);
    this.clock.setTimeout(() => {
      old.close();
      this.retired.delete(old);
    }, this.graceMs);
  }

  /** close closes the current and every retired transport. */
  close(): void {
    this.current.close();
    for (const t of this.retired) t.close();
    this.retired.clear();
  }
}
