import type { BootstrapToken } from '../pki/index.js';

/** shortHumanDuration renders ms as kubectl/kubeadm do (apimachinery's ShortHumanDuration): 45s, 59m, 23h, 3d, 2y. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** rfc3339 formats ms as Go's time.RFC3339 in UTC (no fractional seconds). */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** TOKEN_LIST_HEADER are the columns of `skiff token list` (kubeadm's and k3s's). */
export const TOKEN_LIST_HEADER = ['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'];

/** tokenListRow is one token's row: TTL `<forever>`/EXPIRES `<never>` without expiration, `<none>` for empty fields. */
export function tokenListRow(t: BootstrapToken, now: number): string[] {
  const ttl = t.expiresAt === undefined ? '<forever>' : shortHumanDuration(t.expiresAt - now);
  const expires = t.expiresAt === undefined ? '<never>' : rfc3339(t.expiresAt);
  const usages = [...t.usages].sort().join(',') || '<none>';
  return [`${t.id}.${t.secret}`, ttl, expires, usages, t.description || '<none>', t.groups.join(',') || '<none>'];
}

/** formatTable lays rows out in columns as Go's tabwriter (minwidth 10, padding 3) does for kubeadm. */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 10, cell.length + 3)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('')).join('\n');
}
