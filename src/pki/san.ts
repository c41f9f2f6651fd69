import type { X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** SubjectAltNames is a set of DNS names and IP addresses a serving certificate must cover. */
export interface SubjectAltNames {
  dnsNames: string[];
  ips: string[];
}

/** KUBERNETES_SERVICE_NAMES are the DNS names of the in-cluster `kubernetes` Service that every API serving cert carries. */
export const KUBERNETES_SERVICE_NAMES = [
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

/**
 * normalizeIP returns an IP address in canonical text form (IPv4 dotted quad, IPv6 compressed
 * lowercase, e.g. "0:0::1" → "::1"), so SANs compare by value; it throws for anything else.
 */
export function normalizeIP(ip: string): string {
  const s = ip.trim();
  if (isIPv4(s)) return s;
  // Why URL: WHATWG URL parsing canonicalizes IPv6 host literals (RFC 5952) without hand-written code.
  if (isIPv6(s)) return new URL(`http://[${s}]/`).hostname.slice(1, -1);
  throw new Error(`invalid IP address ${JSON.stringify(ip)}`);
}

/** normalizeDNSName lowercases a DNS name and drops a trailing dot; it throws for an empty name. */
export function normalizeDNSName(name: string): string {
  const s = name.trim().toLowerCase().replace(/\.$/, '');
  if (s === '') throw new Error('empty DNS name in subject alternative names');
  return s;
}

/**
 * servingSans merges the SANs every skiff API serving certificate has (127.0.0.1, ::1, localhost,
 * the hostname, the `kubernetes` Service names) with the extra ones, normalized and de-duplicated.
 * An extra "DNS name" that parses as an IP goes to the IPs (as --tls-san does in k3s).
 */
export function servingSans(hostname: string, extra: SubjectAltNames): SubjectAltNames {
  const dns = new Set<string>();
  const ips = new Set<string>();
  const addName = (n: string): void => {
    if (isIPv4(n.trim()) || isIPv6(n.trim())) ips.add(normalizeIP(n));
    else dns.add(normalizeDNSName(n));
  };
  ['localhost', hostname, ...KUBERNETES_SERVICE_NAMES, ...extra.dnsNames].forEach(addName);
  ['127.0.0.1', '::1', ...extra.ips].forEach((ip) => ips.add(normalizeIP(ip)));
  return { dnsNames: [...dns], ips: [...ips] };
}

/**
 * parseSubjectAltName reads the text node:crypto's X509Certificate gives for `subjectAltName`
 * (`DNS:a, IP Address:10.0.0.1, …`; values with special characters JSON-quoted) into its entries,
 * in order. Text it cannot read ends the list.
 */
export function parseSubjectAltName(text: string): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  for (let i = 0; i < text.length; ) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon);
    let end: number;
    let value: string;
    if (text[colon + 1] === '"') {
      end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end++;
      try {
        value = JSON.parse(text.slice(colon + 1, end)) as string;
      } catch {
        break;
      }
    } else {
      end = text.indexOf(', ', colon);
      if (end < 0) end = text.length;
      value = text.slice(colon + 1, end);
    }
    out.push({ type, value });
    i = end + 2;
  }
  return out;
}

/** certificateSans reads the DNS and IP SANs of a certificate, normalized; other name types are ignored. */
export function certificateSans(cert: X509Certificate): SubjectAltNames {
  const out: SubjectAltNames = { dnsNames: [], ips: [] };
  for (const n of parseSubjectAltName(cert.subjectAltName ?? '')) {
    if (n.type === 'DNS') out.dnsNames.push(normalizeDNSName(n.value));
    else if (n.type === 'IP Address') out.ips.push(normalizeIP(n.value));
  }
  return out;
}

/** sansCovered reports whether the certificate lists every wanted DNS name and IP (it may list more). */
export function sansCovered(cert: X509Certificate, wanted: SubjectAltNames): boolean {
  const have = certificateSans(cert);
  const dns = new Set(have.dnsNames);
  const ips = new Set(have.ips);
  return wanted.dnsNames.every((d) => dns.has(normalizeDNSName(d))) && wanted.ips.every((ip) => ips.has(normalizeIP(ip)));
}
