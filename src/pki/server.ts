import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../lib/clock.js';
import { ensureCA, type CertificateAuthority } from './ca.js';
import { subjectMatches } from './certificate.js';
import { ensureLeaf } from './leaf.js';
import { issueClientCert, issueServingCert, type IssuedCert } from './issue.js';
import { sansCovered, servingSans, type SubjectAltNames } from './san.js';

/** ServerPkiOptions configure ensureServerPki. */
export interface ServerPkiOptions {
  /** dataDir is the server's --data-dir; files go under `<dataDir>/server/tls/`. */
  dataDir: string;
  /** sans are extra serving-cert names: advertise address, --tls-san, the first service-CIDR IP. */
  sans: SubjectAltNames;
  clock: Clock;
  /** hostname defaults to os.hostname(). */
  hostname?: string;
}

/** ServerPkiFiles are the paths of everything ensureServerPki keeps on disk. */
export interface ServerPkiFiles {
  tlsDir: string;
  serverCACert: string;
  clientCACert: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  controllerCert: string;
  controllerKey: string;
}

/** ServerPki is the loaded PKI of a server. */
export interface ServerPki {
  /** serverCA signs serving certs; its bundle is what clients trust and the node token hashes. */
  serverCA: CertificateAuthority;
  /** clientCA signs client certs; the API server verifies client certificates against it. */
  clientCA: CertificateAuthority;
  serving: IssuedCert;
  /** admin is CN=system:admin, O=system:masters: the identity in the admin kubeconfig. */
  admin: IssuedCert;
  /** controller is CN=system:skiff-controller, O=system:masters: the server's own client identity. */
  controller: IssuedCert;
  /** sans are the SANs the serving certificate was checked (or issued) against. */
  sans: SubjectAltNames;
  files: ServerPkiFiles;
}

/** serverPkiFiles returns the file layout under `<dataDir>/server/tls/` (k3s's names). */
export function serverPkiFiles(dataDir: string): ServerPkiFiles {
  const tlsDir = join(dataDir, 'server', 'tls');
  const f = (n: string): string => join(tlsDir, n);
  return {
    tlsDir,
    serverCACert: f('server-ca.crt'),
    clientCACert: f('client-ca.crt'),
    servingCert: f('serving-kube-apiserver.crt'),
    servingKey: f('serving-kube-apiserver.key'),
    adminCert: f('client-admin.crt'),
    adminKey: f('client-admin.key'),
    controllerCert: f('client-skiff-controller.crt'),
    controllerKey: f('client-skiff-controller.key'),
  };
}

/** ensureClient loads or issues a client cert for CN/O. */
function ensureClient(
  ca: CertificateAuthority,
  certPath: string,
  keyPath: string,
  commonName: string,
  organizations: string[],
  clock: Clock,
): Promise<IssuedCert> {
  return ensureLeaf({
    ca,
    certPath,
    keyPath,
    clock,
    fits: (cert) => subjectMatches(cert, commonName, organizations),
    issue: (keyPem) => issueClientCert(ca, { commonName, organizations, clock, ...(keyPem ? { keyPem } : {}) }),
  });
}

/**
 * ensureServerPki creates what is missing and reuses what exists under `<dataDir>/server/tls/`:
 * the server and client CAs, the API serving cert (re-issued with the same key and CA when the
 * wanted SANs are not all in it, when it nears expiry, or when another CA signed it), the admin
 * client cert and the server's own controller client cert. Calling it again with the same inputs
 * changes no file.
 */
export async function ensureServerPki(opts: ServerPkiOptions): Promise<ServerPki> {
  const files = serverPkiFiles(opts.dataDir);
  const { clock } = opts;
  const serverCA = await ensureCA(files.tlsDir, 'server', clock);
  const clientCA = await ensureCA(files.tlsDir, 'client', clock);
  const sans = servingSans(opts.hostname ?? osHostname(), opts.sans);
  const serving = await ensureLeaf({
    ca: serverCA,
    certPath: files.servingCert,
    keyPath: files.servingKey,
    clock,
    fits: (cert) => subjectMatches(cert, 'kube-apiserver', []) && sansCovered(cert, sans),
    issue: (keyPem) =>
      issueServingCert(serverCA, { commonName: 'kube-apiserver', ...sans, clock, ...(keyPem ? { keyPem } : {}) }),
  });
  const admin = await ensureClient(clientCA, files.adminCert, files.adminKey, 'system:admin', ['system:masters'], clock);
  const controller = await ensureClient(
    clientCA,
    files.controllerCert,
    files.controllerKey,
    'system:skiff-controller',
    ['system:masters'],
    clock,
  );
  return { serverCA, clientCA, serving, admin, controller, sans, files };
}
