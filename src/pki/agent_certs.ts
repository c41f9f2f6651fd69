// Agent side: reads and checks its stored certificates with node:crypto only (no @peculiar/x509).
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../lib/clock.js';
import { leafStillValid, pemCertificates, subjectMatches } from './certificate.js';
import { readFileIfExists, writeFileAtomic } from './files.js';
import type { IssuedCert } from './issue.js';
import { kubeletServingSans, nodeUserName, NODES_GROUP } from './node_identity.js';
import { sansCovered } from './san.js';

/** AgentPkiFiles are the files a joined agent keeps under `<dataDir>/agent/`. */
export interface AgentPkiFiles {
  dir: string;
  /** nodePassword is the node's join password (k3s: /etc/rancher/node/password). */
  nodePassword: string;
  clientCert: string;
  clientKey: string;
  servingCert: string;
  servingKey: string;
  clientCA: string;
  serverCA: string;
}

/** agentPkiFiles returns the layout under `<dataDir>/agent/` (k3s's file names). */
export function agentPkiFiles(dataDir: string): AgentPkiFiles {
  const dir = join(dataDir, 'agent');
  const f = (n: string): string => join(dir, n);
  return {
    dir,
    nodePassword: f('node-password'),
    clientCert: f('client-kubelet.crt'),
    clientKey: f('client-kubelet.key'),
    servingCert: f('serving-kubelet.crt'),
    servingKey: f('serving-kubelet.key'),
    clientCA: f('client-ca.crt'),
    serverCA: f('server-ca.crt'),
  };
}

/** NodeCredentials are what a node gets by joining: its two certificates and the two CA bundles. */
export interface NodeCredentials {
  /** serverCaPem verifies the API server (and signed the serving cert). */
  serverCaPem: string;
  /** clientCaPem verifies callers of the kubelet API (and signed the client cert). */
  clientCaPem: string;
  /** client is CN=system:node:<name>, O=system:nodes: the node's identity towards the API server. */
  client: IssuedCert;
  /** serving is the kubelet API's serving certificate. */
  serving: IssuedCert;
}

/** NodeCredentialsWant says what stored credentials must match to be reused. */
export interface NodeCredentialsWant {
  nodeName: string;
  nodeIP: string;
  /** serverCaPem is the CA the server presents now (already checked against the token). */
  serverCaPem: string;
  clock: Clock;
}

/** usableLeaf reports whether certPem/keyPem belong together, were signed by caPem's first cert and last beyond the renewal window. */
function usableLeaf(pair: IssuedCert, caPem: string, clock: Clock, fits: (c: X509Certificate) => boolean): boolean {
  try {
    const cert = pemCertificates(pair.certPem)[0]!;
    const ca = pemCertificates(caPem)[0]!;
    return leafStillValid(cert, pair.keyPem, ca, clock) && fits(cert);
  } catch {
    return false;
  }
}

/**
 * loadNodeCredentials returns the credentials stored under files when all six files exist, the
 * stored server CA is byte-identical to want.serverCaPem, the client cert is the node's identity
 * signed by the stored client CA, the serving cert covers the node's names and IP, and neither is
 * within RENEW_BEFORE_DAYS of expiry. Otherwise undefined: the agent must join again.
 */
export async function loadNodeCredentials(files: AgentPkiFiles, want: NodeCredentialsWant): Promise<NodeCredentials | undefined> {
  const read = (p: string): Promise<string | undefined> => readFileIfExists(p);
  const [serverCaPem, clientCaPem, cc, ck, sc, sk] = await Promise.all(
    [files.serverCA, files.clientCA, files.clientCert, files.clientKey, files.servingCert, files.servingKey].map(read),
  );
  if (serverCaPem !== want.serverCaPem || !clientCaPem || !cc || !ck || !sc || !sk) return undefined;
  const client = { certPem: cc, keyPem: ck };
  const serving = { certPem: sc, keyPem: sk };
  const clientOk = usableLeaf(client, clientCaPem, want.clock, (c) => subjectMatches(c, nodeUserName(want.nodeName), [NODES_GROUP]));
  const sans = kubeletServingSans(want.nodeName, [want.nodeIP]);
  const servingOk = usableLeaf(serving, serverCaPem, want.clock, (c) => subjectMatches(c, want.nodeName, []) && sansCovered(c, sans));
  return clientOk && servingOk ? { serverCaPem, clientCaPem, client, serving } : undefined;
}

/** saveNodeCredentials writes the credentials under files: keys 0600 first, then certificates and CA bundles 0644. */
export async function saveNodeCredentials(files: AgentPkiFiles, creds: NodeCredentials): Promise<void> {
  await writeFileAtomic(files.clientKey, creds.client.keyPem, 0o600);
  await writeFileAtomic(files.servingKey, creds.serving.keyPem, 0o600);
  await writeFileAtomic(files.clientCert, creds.client.certPem, 0o644);
  await writeFileAtomic(files.servingCert, creds.serving.certPem, 0o644);
  await writeFileAtomic(files.clientCA, creds.clientCaPem, 0o644);
  // Last: its presence with the right bytes is what marks the set as complete and current.
  await writeFileAtomic(files.serverCA, creds.serverCaPem, 0o644);
}
