import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpsRequest } from 'node:https';
import { firstIPv4 } from '../agent/index.js';
import { NODE_COMPONENT_USERS, type NodeComponent } from './node_services.js';
import { startNode, type RunningNode } from './node.js';
import { Client } from '../client/client.js';
import { HttpTransport, statusErrorFrom } from '../client/http_transport.js';
// protocol.js, not the node_join index: the index loads the server-side routes.
import { CLIENT_CA_PATH, CLIENT_KUBELET_PATH, NODE_IP_HEADER, NODE_NAME_HEADER, NODE_PASSWORD_HEADER, SERVING_KUBELET_PATH } from '../apiserver/node_join/protocol.js';
import { realClock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/log.js';
import {
  agentPkiFiles,
  ensureNodePasswordFile,
  loadNodeCredentials,
  parseToken,
  saveNodeCredentials,
  splitCertAndKey,
  verifyCAHash,
  type NodeCredentials,
} from '../pki/agent.js';
import { agentConfig } from './agent_flags.js';
import { RenewableTransport, startNodeCertRenewal } from './node_cert_renewal.js';
import { logRepairs, secureDataDir } from './data_dir.js';
import { UsageError, type FlagValues } from './flags.js';

/** SIM_NODES_IDENTITY is the node name `skiff sim-nodes` joins as: one certificate for all its simulated nodes. */
export const SIM_NODES_IDENTITY = 'sim-nodes';

/** TOKEN_REFUSED is what the agent says when the server answers 401 to the token. */
export const TOKEN_REFUSED = 'the server refused the token (401): check --token against /var/lib/skiff/server/node-token on the server';

/** CA_MISMATCH is what the agent says when /cacerts does not match the token's hash. */
export const CA_MISMATCH = "the server's CA does not match the token's hash: refusing to send credentials (is --server pointing at the right cluster?)";

/** JoinIdentity says which node joins and where it keeps its credentials. */
export interface JoinIdentity {
  nodeName: string;
  /** nodeIP goes into the kubelet serving cert; empty means the first non-loopback IPv4. */
  nodeIP: string;
  /**
   * dataDir keeps the node password and the certificates under `<dataDir>/agent/`. Without it
   * nothing is stored and the password is derived from the token secret (sim-nodes: no state).
   */
  dataDir?: string;
}

interface HttpsAnswer {
  status: number;
  body: string;
}

/** httpsText makes one bounded HTTPS request and resolves with the status and the body text. */
function httpsText(url: string, tls: { ca?: string; cert?: string; key?: string }, headers: Record<string, string> = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    // Without a CA the server is not verified: only /cacerts is fetched that way, and checked by hash.
    const verify = tls.ca !== undefined ? { ca: tls.ca } : { rejectUnauthorized: false };
    const clientCert = tls.cert !== undefined && tls.key !== undefined ? { cert: tls.cert, key: tls.key } : {};
    const req = httpsRequest(url, { method: 'GET', ...verify, ...clientCert, headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Retry marks failures worth retrying (server unreachable or busy); anything else stops the join. */
class Retry extends Error {}

/** retrying runs fn until it returns, retrying any failure but a UsageError (a refusal) with backoff, until the signal aborts. */
async function retrying<T>(what: string, logger: Logger, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new Error('stopped before joining the cluster');
    try {
      return await fn();
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (attempt % 10 === 0) logger.warn(`waiting for the server: ${what}`, { err: (e as Error).message });
      // A SIGTERM ends the wait at once rather than after the back-off.
      await sleep(Math.min(5000, 500 * (attempt + 1)), undefined, { signal }).catch(() => undefined);
    }
  }
}

/** fetchCACerts reads the server's CA bundle from `/cacerts` without verifying TLS (the caller checks it by hash). */
async function fetchCACerts(server: string): Promise<string> {
  const a = await httpsText(`${server}/cacerts`, {});
  if (a.status !== 200) throw new Retry(`GET ${server}/cacerts answered ${a.status}`);
  return a.body;
}

/** NodeClaim is what a join request says: who the node is and its password. */
interface NodeClaim {
  nodeName: string;
  nodeIP: string;
  password: string;
}

/** fetchJoinPem GETs one join endpoint with the token and the node's claims; 401/403/400 become UsageErrors. */
async function fetchJoinPem(server: string, caPem: string, auth: JoinAuth, claim: NodeClaim, path: string): Promise<string> {
  // A node renewing with its current client certificate sends no token.
  const tls = 'secret' in auth ? { ca: caPem } : { ca: caPem, cert: auth.clientCertPem, key: auth.clientKeyPem };
  const a = await httpsText(`${server}${path}`, tls, {
    ...('secret' in auth ? { Authorization: `Basic ${Buffer.from(`node:${auth.secret}`).toString('base64')}` } : {}),
    [NODE_NAME_HEADER]: claim.nodeName,
    [NODE_PASSWORD_HEADER]: claim.password,
    [NODE_IP_HEADER]: claim.nodeIP,
  });
  if (a.status === 200) return a.body;
  const message = statusErrorFrom(a.status, a.body).message;
  // The server's reason tells an expired bootstrap token from a wrong one.
  if (a.status === 401) throw new UsageError(`${TOKEN_REFUSED} (${message})`);
  if (a.status === 403 || a.status === 400 || a.status === 404) throw new UsageError(`${server}${path}: ${message}`);
  throw new Retry(`${path} answered ${a.status}: ${message}`);
}

/** JoinAuth is how a node proves itself to the join endpoints: the cluster or bootstrap token, or its current client certificate. */
type JoinAuth = { secret: string } | { clientCertPem: string; clientKeyPem: string };

/** requestNodeCredentials asks the server for the node's client and serving certs and the client CA. */
async function requestNodeCredentials(server: string, caPem: string, auth: JoinAuth, claim: NodeClaim): Promise<NodeCredentials> {
  // The client cert first: that request stores (or checks) the node password.
  const client = splitCertAndKey(await fetchJoinPem(server, caPem, auth, claim, CLIENT_KUBELET_PATH));
  const serving = splitCertAndKey(await fetchJoinPem(server, caPem, auth, claim, SERVING_KUBELET_PATH));
  const clientCaPem = await fetchJoinPem(server, caPem, auth, claim, CLIENT_CA_PATH);
  return { serverCaPem: caPem, clientCaPem, client, serving };
}

/** nodeCredentials reuses the credentials stored for identity when still good, else joins and stores them. */
async function nodeCredentials(server: string, caPem: string, secret: string, id: JoinIdentity, logger: Logger, signal: AbortSignal): Promise<NodeCredentials> {
  const nodeIP = id.nodeIP || firstIPv4();
  const files = id.dataDir !== undefined ? agentPkiFiles(id.dataDir) : undefined;
  if (files) {
    const stored = await loadNodeCredentials(files, { nodeName: id.nodeName, nodeIP, serverCaPem: caPem, clock: realClock });
    if (stored) {
      logger.info('reusing the node certificates', { node: id.nodeName, dir: files.dir });
      return stored;
    }
  }
  const creds = await retrying('node certificates', logger, signal, () => fetchNodeCredentials(server, caPem, secret, id));
  logger.info('joined the cluster: got the node certificates', { node: id.nodeName });
  return creds;
}

/**
 * fetchNodeCredentials asks the server once for the node's certificates with the token secret and
 * the node password, and stores them under the data dir (when there is one): what joining does,
 * and what renewal repeats before they expire.
 */
async function fetchNodeCredentials(server: string, caPem: string, secret: string, id: JoinIdentity, current?: NodeCredentials): Promise<NodeCredentials> {
  const files = id.dataDir !== undefined ? agentPkiFiles(id.dataDir) : undefined;
  // Stateless joins (sim-nodes) derive a stable password, so a restart is not taken for a hijack.
  const password = files ? await ensureNodePasswordFile(files.nodePassword) : createHmac('sha256', secret).update(`skiff node password ${id.nodeName}`).digest('hex');
  const claim = { nodeName: id.nodeName, nodeIP: id.nodeIP || firstIPv4(), password };
  let creds: NodeCredentials | undefined;
  if (current) {
    // Renewal authenticates with the node's client certificate first, so a node joined with a
    // bootstrap token keeps renewing after the token expired; the token is the fallback.
    try {
      creds = await requestNodeCredentials(server, caPem, { clientCertPem: current.client.certPem, clientKeyPem: current.client.keyPem }, claim);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
    }
  }
  creds ??= await requestNodeCredentials(server, caPem, { secret }, claim);
  if (files) await saveNodeCredentials(files, creds);
  return creds;
}

/**
 * joinCluster joins as k3s agents do: fetch the server's CA from /cacerts and check it against the
 * token's K10 hash BEFORE sending any credential (a mismatch throws CA_MISMATCH), then, verifying
 * the server with that CA, trade the token secret and the node password for the node's client
 * certificate (`system:node:<name>`) and kubelet serving certificate, which are kept under
 * `<dataDir>/agent/` and reused while valid. Returns a transport authenticating with the client
 * certificate. Without identity it joins as SIM_NODES_IDENTITY, storing nothing. It retries while
 * the server is unreachable, until the signal aborts; a refused token (401) throws TOKEN_REFUSED
 * and a refused node password (403) the server's message, both as UsageErrors.
 */
export async function joinCluster(server: string, token: string, logger: Logger, signal: AbortSignal, identity?: JoinIdentity): Promise<HttpTransport> {
  return (await joinClusterWithCredentials(server, token, logger, signal, identity)).transport;
}

/**
 * joinClusterWithCredentials is joinCluster that also returns the node's credentials (for the
 * kubelet API) and renew, which asks the server for new ones (and stores them) in one try.
 */
export async function joinClusterWithCredentials(server: string, token: string, logger: Logger, signal: AbortSignal, identity?: JoinIdentity): Promise<{ transport: HttpTransport; creds: NodeCredentials; renew: () => Promise<NodeCredentials> }> {
  let parsed;
  try {
    parsed = parseToken(token);
  } catch (e) {
    throw new UsageError(`--token: ${(e as Error).message}`);
  }
  const caPem = await retrying(`${server}/cacerts`, logger, signal, () => fetchCACerts(server));
  if (parsed.caHash === undefined) {
    logger.warn('the token carries no CA hash: trusting the CA the server presents (use the full K10… token from the server\'s node-token file)');
  } else if (!verifyCAHash(caPem, token)) {
    throw new UsageError(CA_MISMATCH);
  }
  const id = identity ?? { nodeName: SIM_NODES_IDENTITY, nodeIP: '' };
  const creds = await nodeCredentials(server, caPem, parsed.password, id, logger, signal);
  let latest = creds;
  const renew = async (): Promise<NodeCredentials> => (latest = await fetchNodeCredentials(server, caPem, parsed.password, id, latest));
  return { transport: new HttpTransport({ server, caPem, clientCertPem: creds.client.certPem, clientKeyPem: creds.client.keyPem }), creds, renew };
}

/** signalAbort returns a signal that aborts on SIGTERM or SIGINT. */
export function signalAbort(): AbortSignal {
  const ctl = new AbortController();
  const stop = (): void => ctl.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return ctl.signal;
}

/** runAgent runs `skiff agent`: join the cluster, register the node, run its pods until SIGTERM/SIGINT. */
export async function runAgent(values: FlagValues): Promise<void> {
  const cfg = agentConfig(values);
  const logger = createLogger({ level: cfg.debug ? 'debug' : 'info', component: 'agent' });
  const signal = signalAbort();
  const nodeIP = cfg.nodeIP || firstIPv4();
  if (cfg.dataDir) logRepairs(logger, secureDataDir(cfg.dataDir), 'at start');
  let joined;
  try {
    joined = await joinClusterWithCredentials(cfg.server, cfg.token, logger, signal, { nodeName: cfg.nodeName, nodeIP: cfg.nodeIP, dataDir: cfg.dataDir });
  } catch (e) {
    // Stopped (SIGTERM/SIGINT) while still joining: a clean stop, not a failure.
    if (!signal.aborted) throw e;
    logger.info('stopped before joining the cluster', { node: cfg.nodeName, server: cfg.server });
    return;
  }
  const { transport, creds, renew } = joined;
  const httpTransport = (c: NodeCredentials, impersonateUser?: string): HttpTransport =>
    new HttpTransport({ server: cfg.server, caPem: c.serverCaPem, clientCertPem: c.client.certPem, clientKeyPem: c.client.keyPem, ...(impersonateUser ? { impersonateUser } : {}) });
  // Every API transport of the node follows certificate renewals (node_cert_renewal.ts).
  const transports: { t: RenewableTransport; impersonateUser?: string }[] = [];
  const renewable = (first: HttpTransport, impersonateUser?: string): RenewableTransport => {
    const t = new RenewableTransport(first, realClock);
    transports.push(impersonateUser ? { t, impersonateUser } : { t });
    return t;
  };
  logger.info('starting node agent', { node: cfg.nodeName, server: cfg.server, runtime: cfg.runtime });
  let node: RunningNode | undefined;
  try {
    // The node's services act as their own users, which nodes may impersonate (and nothing more).
    const componentClient = (c: NodeComponent): Client =>
      new Client(renewable(httpTransport(creds, NODE_COMPONENT_USERS[c]), NODE_COMPONENT_USERS[c]));
    node = await startNode({
      client: new Client(renewable(transport)),
      componentClient,
      nodeName: cfg.nodeName,
      nodeIP,
      nodeExternalIP: cfg.nodeExternalIP,
      dataDir: cfg.dataDir,
      runtime: cfg.runtime === 'fake' ? 'fake' : 'containerd',
      labels: cfg.labels,
      taints: cfg.taints,
      capacity: cfg.capacity,
      leaseDurationSeconds: cfg.leaseDurationSeconds,
      statusUpdateFrequencyMs: cfg.statusUpdateFrequencyMs,
      roles: [],
      clusterCIDR: cfg.clusterCIDR,
      clusterDNS: cfg.clusterDNS,
      clusterDomain: cfg.clusterDomain,
      disabled: cfg.disabled,
      resolvConf: cfg.resolvConf,
      privateRegistry: cfg.privateRegistry,
      kubeletTLS: { certPem: creds.serving.certPem, keyPem: creds.serving.keyPem, clientCaPem: creds.clientCaPem },
      logger,
      signal,
    }).catch((e: unknown) => {
      // A SIGTERM during registration is a clean stop, not a failure.
      if (!signal.aborted) throw e;
      return undefined;
    });
    if (cfg.dataDir && node) secureDataDir(cfg.dataDir); // what joining and start-up created
    const running = node;
    const renewal = startNodeCertRenewal({
      current: creds,
      fetch: renew,
      apply: (c) => {
        for (const r of transports) r.t.swap(httpTransport(c, r.impersonateUser));
        running?.agent.updateKubeletTLS({ certPem: c.serving.certPem, keyPem: c.serving.keyPem, clientCaPem: c.clientCaPem });
      },
      clock: realClock,
      logger: logger.child('certificates'),
      signal,
    }).catch((e: unknown) => logger.error('node certificate renewal stopped', { err: (e as Error).message }));
    if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
    await renewal;
  } finally {
    await node?.stop();
    for (const r of transports) r.t.close();
    transport.close();
    logger.info('node agent stopped', { node: cfg.nodeName });
  }
}
