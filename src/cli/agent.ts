import { get as httpsGet } from 'node:https';
import { Agent, FakeRuntime } from '../agent/index.js';
import { Client } from '../client/client.js';
import { HttpTransport } from '../client/http_transport.js';
import { realClock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/log.js';
import { parseToken, verifyCAHash } from '../pki/index.js';
import { agentConfig } from './agent_flags.js';
import { UsageError, type FlagValues } from './flags.js';

/** fetchCACerts reads the server's CA bundle from `/cacerts` without verifying TLS (it is verified by hash afterwards). */
function fetchCACerts(server: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(`${server}/cacerts`, { rejectUnauthorized: false, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`GET ${server}/cacerts answered ${res.statusCode ?? 0}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/**
 * joinCluster fetches the server's CA from /cacerts, checks it against the token's K10 hash
 * (refusing to send the token to a server whose CA does not match) and returns a transport that
 * verifies the server with that CA and authenticates with the token. It retries while the server
 * is unreachable, until the signal aborts.
 */
export async function joinCluster(server: string, token: string, logger: Logger, signal: AbortSignal): Promise<HttpTransport> {
  let parsed;
  try {
    parsed = parseToken(token);
  } catch (e) {
    throw new UsageError(`--token: ${(e as Error).message}`);
  }
  let pem: string | undefined;
  for (let attempt = 0; pem === undefined; attempt++) {
    if (signal.aborted) throw new Error('stopped before joining the cluster');
    try {
      pem = await fetchCACerts(server);
    } catch (e) {
      if (attempt % 10 === 0) logger.warn('waiting for the server to answer', { server, err: (e as Error).message });
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (attempt + 1))));
    }
  }
  if (parsed.caHash === undefined) {
    logger.warn('the token carries no CA hash: trusting the CA the server presents (use the full K10… token from the server\'s node-token file)');
  } else if (!verifyCAHash(pem, token)) {
    throw new UsageError(`the CA certificate served by ${server}/cacerts does not match the hash in the token: refusing to join (is --server the right server, and --token its node-token?)`);
  }
  return new HttpTransport({ server, caPem: pem, bearerToken: token });
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
  if (cfg.runtime === 'containerd') throw new UsageError('the containerd runtime is not available in this build yet; use --runtime fake');
  const logger = createLogger({ level: cfg.debug ? 'debug' : 'info', component: 'agent' });
  const signal = signalAbort();
  const transport = await joinCluster(cfg.server, cfg.token, logger, signal);
  const agent = new Agent({
    client: new Client(transport),
    nodeName: cfg.nodeName,
    runtime: new FakeRuntime({ clock: realClock }),
    logger,
    labels: cfg.labels,
    taints: cfg.taints,
    capacity: cfg.capacity,
    leaseDurationSeconds: cfg.leaseDurationSeconds,
    statusUpdateFrequencyMs: cfg.statusUpdateFrequencyMs,
    nodeIP: cfg.nodeIP,
    dataDir: cfg.dataDir,
    roles: [],
  });
  logger.info('starting node agent', { node: cfg.nodeName, server: cfg.server, runtime: cfg.runtime });
  try {
    await agent.start(signal).catch((e: unknown) => {
      // A SIGTERM during registration is a clean stop, not a failure.
      if (!signal.aborted) throw e;
    });
    if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
  } finally {
    agent.stop();
    transport.close();
    logger.info('node agent stopped', { node: cfg.nodeName });
  }
}
