// `skiff certificate check|rotate`, as `k3s certificate check|rotate`.
import { realClock } from '../lib/clock.js';
import { CERT_SERVICES, checkCertificates, rotateCertificates, type CertificateReport } from '../pki/cert_files.js';
import { formatHelp, parseFlags, UsageError, type FlagSpec } from './flags.js';

/** certificateFlags are the flags of `skiff certificate`. */
export const certificateFlags: FlagSpec[] = [
  { name: 'data-dir', alias: 'd', kind: 'string', default: '/var/lib/skiff', env: 'SKIFF_DATA_DIR', help: 'Folder holding the server or agent state' },
  { name: 'service', alias: 's', kind: 'list', default: [], help: `Services to check or rotate certificates for: ${Object.keys(CERT_SERVICES).join(', ')} (default: all)` },
  { name: 'output', alias: 'o', kind: 'string', default: 'text', help: 'check output format: text or table' },
];

const usage = `skiff certificate - certificates management

USAGE:
   skiff certificate check [flags]    List the certificate files with subject, expiry and status
   skiff certificate rotate [flags]   Back up the certificates and remove the leaf ones, so the next start issues new ones

Rotate with the server (or agent) stopped, then start it again: servers first, then agents.
CA certificates are never rotated (see src/pki/README.md for rotating a CA by hand).

FLAGS:
${formatHelp(certificateFlags)}`;

const MONTH_MS = 30 * 24 * 3600 * 1000;

/** residual renders the time left roughly as k3s does: years, months, days or hours. */
function residual(ms: number): string {
  if (ms <= 0) return '-';
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // A year issued a moment ago still reads "1 year".
  if (ms >= 12 * MONTH_MS) return plural(Math.max(1, Math.round(ms / (365 * 24 * 3600 * 1000))), 'year');
  if (ms >= MONTH_MS) return plural(Math.floor(ms / MONTH_MS), 'month');
  if (ms >= 24 * 3600 * 1000) return plural(Math.floor(ms / (24 * 3600 * 1000)), 'day');
  return plural(Math.max(1, Math.floor(ms / 3_600_000)), 'hour');
}

const expiry = (ms: number): string => (ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

/** formatTable renders the reports as `k3s certificate check --output table` does. */
export function formatTable(reports: CertificateReport[], now: number): string {
  const header = ['FILENAME', 'SUBJECT', 'USAGES', 'EXPIRES', 'RESIDUAL TIME', 'STATUS'];
  const rows = reports.map((r) => [r.file, r.subject || '-', r.usages.join(',') || '-', expiry(r.notAfter), residual(r.notAfter - now), r.status]);
  const all = [header, header.map((h) => '-'.repeat(h.length)), ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n');
}

/** formatText renders one line per certificate. */
export function formatText(reports: CertificateReport[]): string {
  const says: Record<CertificateReport['status'], string> = { OK: 'is ok', WARNING: 'expires soon (renewed at the next start)', EXPIRED: 'has expired', 'NOT YET VALID': 'is not yet valid', UNREADABLE: 'cannot be read' };
  return reports.map((r) => `${r.file}: certificate ${r.subject || '?'} ${says[r.status]}${r.notAfter ? `, expires at ${expiry(r.notAfter)}` : ''}`).join('\n');
}

/** runCertificate runs `skiff certificate SUBCOMMAND …` and returns the exit code. */
export async function runCertificate(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    console.log(usage);
    return sub === undefined ? 1 : 0;
  }
  const { values, args } = parseFlags(certificateFlags, rest);
  if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
  const dataDir = String(values['data-dir']);
  const services = (values.service as string[]).flatMap((s) => s.split(',')).filter(Boolean);
  for (const s of services) if (!CERT_SERVICES[s]) throw new UsageError(`unknown --service ${JSON.stringify(s)}: want one of ${Object.keys(CERT_SERVICES).join(', ')}`);
  switch (sub) {
    case 'check': {
      const output = String(values.output);
      if (output !== 'text' && output !== 'table') throw new UsageError(`invalid --output ${JSON.stringify(output)}: want text or table`);
      let reports = await checkCertificates(dataDir, realClock);
      if (services.length) {
        const owned = services.flatMap((s) => CERT_SERVICES[s]!.map((base) => `${base}.crt`));
        reports = reports.filter((r) => owned.includes(r.file));
      }
      if (!reports.length) throw new UsageError(`no certificates under ${dataDir}/server/tls or ${dataDir}/agent: is --data-dir right?`);
      console.log(output === 'table' ? formatTable(reports, realClock.now()) : formatText(reports));
      return reports.some((r) => r.status === 'EXPIRED' || r.status === 'UNREADABLE') ? 1 : 0;
    }
    case 'rotate': {
      const r = await rotateCertificates(dataDir, services, realClock);
      console.log(`backed up the certificates to ${r.backupDir}`);
      for (const f of r.removed) console.log(`removed ${f}`);
      console.log('start (or restart) skiff server or agent to issue new certificates: servers first, then agents');
      return 0;
    }
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: want check or rotate`);
  }
}
