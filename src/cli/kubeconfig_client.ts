import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { HttpTransport } from '../client/http_transport.js';
import { UsageError } from './flags.js';

/** KubeconfigCredentials are the current context's server, CA and client credentials. */
export interface KubeconfigCredentials {
  server: string;
  caPem: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  bearerToken?: string;
}

type Named<T> = { name?: string } & T;
interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: { server?: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } }>[];
  users?: Named<{ user?: Record<string, string | undefined> }>[];
}

const fromB64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

async function dataOrFile(data: string | undefined, file: string | undefined): Promise<string | undefined> {
  if (data) return fromB64(data);
  return file ? readFile(file, 'utf8') : undefined;
}

/**
 * readKubeconfig reads the current context of a kubeconfig file (embedded `*-data` fields or file
 * paths, a client certificate or a bearer token). Missing or unreadable files are UsageErrors
 * that say which file and how to point at another.
 */
export async function readKubeconfig(path: string): Promise<KubeconfigCredentials> {
  let doc: KubeconfigDoc;
  try {
    doc = (parse(await readFile(path, 'utf8')) ?? {}) as KubeconfigDoc;
  } catch (e) {
    throw new UsageError(`cannot read kubeconfig ${path}: ${(e as Error).message.split('\n')[0]} (run on a server as root, or pass --kubeconfig)`);
  }
  const ctxName = doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context ?? doc.contexts?.[0]?.context;
  const cluster = doc.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === ctx?.user)?.user ?? {};
  if (!cluster?.server) throw new UsageError(`kubeconfig ${path} has no server for its current context`);
  const caPem = await dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (!caPem) throw new UsageError(`kubeconfig ${path} has no certificate authority for ${cluster.server}`);
  const creds: KubeconfigCredentials = { server: cluster.server, caPem };
  const cert = await dataOrFile(user['client-certificate-data'], user['client-certificate']);
  const key = await dataOrFile(user['client-key-data'], user['client-key']);
  if (cert && key) Object.assign(creds, { clientCertPem: cert, clientKeyPem: key });
  if (user.token) creds.bearerToken = user.token;
  return creds;
}

/** kubeconfigTransport returns an HTTPS transport authenticating as the kubeconfig's user. */
export function kubeconfigTransport(c: KubeconfigCredentials): HttpTransport {
  return new HttpTransport({
    server: c.server,
    caPem: c.caPem,
    ...(c.clientCertPem && c.clientKeyPem ? { clientCertPem: c.clientCertPem, clientKeyPem: c.clientKeyPem } : {}),
    ...(c.bearerToken ? { bearerToken: c.bearerToken } : {}),
    userAgent: 'skiff-cli',
  });
}
