// The certificate files of a data dir, as `skiff certificate check|rotate` see them (k3s's
// `k3s certificate check|rotate`): read with node:crypto only.
import type { X509Certificate } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Clock } from '../lib/clock.js';
import { RENEW_BEFORE_DAYS, certificateNotAfter, pemCertificates } from './certificate.js';
import { distinguishedNameValues } from './distinguished_name.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** CertificateStatus is a certificate's state at a moment: WARNING means the next start renews it. */
export type CertificateStatus = 'OK' | 'WARNING' | 'EXPIRED' | 'NOT YET VALID' | 'UNREADABLE';

/** CertificateReport is one certificate file's line of `skiff certificate check`. */
export interface CertificateReport {
  /** path is absolute; file is relative to the data dir. */
  path: string;
  file: string;
  /** subject is the CN (the whole subject when there is no CN). */
  subject: string;
  /** usages: CertSign for CAs, ServerAuth / ClientAuth from extKeyUsage. */
  usages: string[];
  notAfter: number;
  status: CertificateStatus;
}

/** CERT_SERVICES maps `--service` names (k3s's, where skiff has the same part) to the leaf files they own. */
export const CERT_SERVICES: Record<string, string[]> = {
  admin: ['server/tls/client-admin'],
  'api-server': ['server/tls/serving-kube-apiserver'],
  'skiff-controller': ['server/tls/client-skiff-controller'],
  kubelet: ['agent/client-kubelet', 'agent/serving-kubelet'],
};

/** certificateFiles lists the `*.crt` files under `<dataDir>/server/tls/` and `<dataDir>/agent/`, sorted. */
export async function certificateFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of [join(dataDir, 'server', 'tls'), join(dataDir, 'agent')]) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    out.push(...names.filter((n) => n.endsWith('.crt')).sort().map((n) => join(dir, n)));
  }
  return out;
}

function usagesOf(cert: X509Certificate): string[] {
  const out: string[] = [];
  if (cert.ca) out.push('CertSign');
  const eku = cert.keyUsage ?? [];
  if (eku.includes('1.3.6.1.5.5.7.3.1')) out.push('ServerAuth');
  if (eku.includes('1.3.6.1.5.5.7.3.2')) out.push('ClientAuth');
  return out;
}

/** statusAt is OK, WARNING (within RENEW_BEFORE_DAYS of expiry), EXPIRED or NOT YET VALID at now. */
export function statusAt(cert: X509Certificate, now: number): CertificateStatus {
  const notAfter = certificateNotAfter(cert);
  if (now < Date.parse(cert.validFrom)) return 'NOT YET VALID';
  if (now >= notAfter) return 'EXPIRED';
  return now >= notAfter - RENEW_BEFORE_DAYS * DAY_MS ? 'WARNING' : 'OK';
}

/** checkCertificates reports every certificate file of the data dir (the first certificate of a bundle). */
export async function checkCertificates(dataDir: string, clock: Clock): Promise<CertificateReport[]> {
  const reports: CertificateReport[] = [];
  for (const path of await certificateFiles(dataDir)) {
    const file = relative(dataDir, path);
    try {
      const cert = pemCertificates(await readFile(path, 'utf8'))[0]!;
      const cn = distinguishedNameValues(cert.subject, 'CN');
      reports.push({ path, file, subject: cn[cn.length - 1] ?? cert.subject.replace(/\n/g, ', '), usages: usagesOf(cert), notAfter: certificateNotAfter(cert), status: statusAt(cert, clock.now()) });
    } catch {
      reports.push({ path, file, subject: '', usages: [], notAfter: 0, status: 'UNREADABLE' });
    }
  }
  return reports;
}

/** RotateResult says where the backup went and which files were removed for the next start to re-issue. */
export interface RotateResult {
  backupDir: string;
  removed: string[];
}

/**
 * rotateCertificates is `k3s certificate rotate`: it copies `<dataDir>/server/tls/` (and the
 * agent's certificates and keys, under `agent/`) to `<dataDir>/server/tls-<unix seconds>/`
 * (`<dataDir>/agent/tls-<unix seconds>/` on an agent-only data dir), then removes the leaf
 * certificates and keys of the given services (all when none is given) so the next start issues
 * new ones. CA certificates and keys, tokens and the service-account key are never touched.
 * Throws for an unknown service name.
 */
export async function rotateCertificates(dataDir: string, services: string[], clock: Clock): Promise<RotateResult> {
  for (const s of services) {
    if (!CERT_SERVICES[s]) throw new Error(`unknown service ${JSON.stringify(s)}: want one of ${Object.keys(CERT_SERVICES).join(', ')}`);
  }
  const stamp = Math.floor(clock.now() / 1000);
  const tlsDir = join(dataDir, 'server', 'tls');
  const agentDir = join(dataDir, 'agent');
  const serverNames = await readdir(tlsDir).catch(() => [] as string[]);
  const backupDir = serverNames.length ? join(dataDir, 'server', `tls-${stamp}`) : join(agentDir, `tls-${stamp}`);
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  for (const n of serverNames) await copyFile(join(tlsDir, n), join(backupDir, n)).catch(() => undefined);
  const agentNames = (await readdir(agentDir).catch(() => [] as string[])).filter((n) => /\.(crt|key)$/.test(n));
  if (agentNames.length) {
    const to = serverNames.length ? join(backupDir, 'agent') : backupDir;
    await mkdir(to, { recursive: true, mode: 0o700 });
    for (const n of agentNames) await copyFile(join(agentDir, n), join(to, n));
  }
  const removed: string[] = [];
  for (const s of services.length ? services : Object.keys(CERT_SERVICES)) {
    for (const base of CERT_SERVICES[s]!) {
      for (const ext of ['.crt', '.key']) {
        const path = join(dataDir, base + ext);
        try {
          await rm(path);
          removed.push(relative(dataDir, path));
        } catch {
          // not present on this kind of node
        }
      }
    }
  }
  return { backupDir, removed: removed.sort((a, b) => basename(a).localeCompare(basename(b))) };
}
