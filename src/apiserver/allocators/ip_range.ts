/** IPv4 CIDR arithmetic for the service IP allocator. */

/** ipToInt converts dotted IPv4 to an unsigned integer, or undefined when malformed. */
export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** intToIp converts an unsigned integer back to dotted IPv4. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Cidr is a parsed IPv4 network. */
export interface Cidr {
  text: string;
  base: number;
  size: number;
}

/** parseCidr parses "10.43.0.0/16"; throws on bad input (flags are checked at start-up). */
export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const base = ipToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new Error(`invalid CIDR ${JSON.stringify(text)}: want an IPv4 network like 10.43.0.0/16 (prefix 8–30)`);
  }
  const size = 2 ** (32 - prefix);
  return { text, base: base - (base % size), size };
}

/** cidrContains tells whether ip lies inside the network, excluding network and broadcast addresses. */
export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n > c.base && n < c.base + c.size - 1;
}

/** nthAddress returns the n-th address of the network (1 = first usable). */
export function nthAddress(c: Cidr, n: number): string {
  return intToIp(c.base + n);
}
