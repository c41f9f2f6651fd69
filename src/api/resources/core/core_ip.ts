import { fieldErr, type FieldError } from '../../field_errors.js';

/** IP address parsing and the checks upstream applies to Service and Endpoints addresses. */

/** parseIP returns the 4 (IPv4) or 16 (IPv6) bytes of an address, or undefined when it does not parse. */
export function parseIP(s: string): number[] | undefined {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Leading zeros are accepted, as Go's ParseIPSloppy does.
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** isIPv6String tells whether s parses as an IPv6 address (not an IPv4 one). */
export function isIPv6String(s: string): boolean {
  return s.includes(':') && parseIPv6(s) !== undefined;
}

/** INVALID_IP_MSG is the detail upstream's IsValidIP reports. */
export const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** validateIP reports value at path when it is not an IP address. */
export function validateIP(value: unknown, path: string): FieldError[] {
  return typeof value === 'string' && parseIP(value) ? [] : [fieldErr.invalid(path, value ?? '', INVALID_IP_MSG)];
}

/** validateNonSpecialIP rejects unspecified, loopback and link-local addresses (endpoints, external IPs). */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const b = parseIP(value);
  if (!b) return [fieldErr.invalid(path, value, 'must be a valid IP address')];
  const v4 = b.length === 4 ? b : isV4Mapped(b) ? b.slice(12) : undefined;
  const errs: FieldError[] = [];
  const at = (i: number): number => (v4 ?? b)[i] ?? 0;
  if ((v4 ?? b).every((x) => x === 0)) errs.push(fieldErr.invalid(path, value, `may not be unspecified (${value})`));
  const loopback = v4 ? at(0) === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback) errs.push(fieldErr.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const linkLocal = v4 ? at(0) === 169 && at(1) === 254 : at(0) === 0xfe && (at(1) & 0xc0) === 0x80;
  if (linkLocal) errs.push(fieldErr.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const llMulticast = v4 ? at(0) === 224 && at(1) === 0 && at(2) === 0 : at(0) === 0xff && (at(1) & 0x0f) === 0x02;
  if (llMulticast) errs.push(fieldErr.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

function isV4Mapped(b: number[]): boolean {
  return b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}
