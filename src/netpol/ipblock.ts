/** IPv4 address arithmetic for ipBlock peers: a CIDR minus its `except` CIDRs, as address ranges. */

/** AddressRange is an inclusive range of IPv4 addresses as unsigned 32-bit numbers. */
export interface AddressRange {
  first: number;
  last: number;
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** parseIPv4 returns the address as an unsigned number, or undefined for anything but dotted IPv4. */
export function parseIPv4(s: string): number | undefined {
  const m = ipv4.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** formatIPv4 prints an unsigned number as a dotted address. */
export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** cidrRange returns the addresses of an IPv4 CIDR (host bits ignored, as net.ParseCIDR does); undefined for IPv6 or garbage. */
export function cidrRange(cidr: string): AddressRange | undefined {
  const [addr = '', len = '', extra] = cidr.split('/');
  const base = parseIPv4(addr);
  if (base === undefined || extra !== undefined || !/^\d{1,2}$/.test(len) || Number(len) > 32) return undefined;
  const size = 2 ** (32 - Number(len));
  const first = Math.floor(base / size) * size;
  return { first, last: first + size - 1 };
}

/** mergeRanges sorts ranges and joins those that overlap or touch (nft interval sets refuse overlaps). */
export function mergeRanges(ranges: AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: AddressRange[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1) prev.last = Math.max(prev.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

/** subtractRanges returns `from` without any address in `holes`. */
export function subtractRanges(from: AddressRange[], holes: AddressRange[]): AddressRange[] {
  let out = mergeRanges(from);
  for (const h of mergeRanges(holes)) {
    out = out.flatMap((r) => {
      if (h.last < r.first || h.first > r.last) return [r];
      const parts: AddressRange[] = [];
      if (h.first > r.first) parts.push({ first: r.first, last: h.first - 1 });
      if (h.last < r.last) parts.push({ first: h.last + 1, last: r.last });
      return parts;
    });
  }
  return out;
}

/**
 * ipBlockRanges is the address set of NetworkPolicy ipBlocks: each `cidr` minus its `except`
 * list, merged. IPv6 blocks contribute nothing (the pod network is IPv4).
 */
export function ipBlockRanges(blocks: { cidr: string; except: string[] }[]): AddressRange[] {
  const all: AddressRange[] = [];
  for (const b of blocks) {
    const net = cidrRange(b.cidr);
    if (!net) continue;
    const holes = b.except.map(cidrRange).filter((r): r is AddressRange => r !== undefined);
    all.push(...subtractRanges([net], holes));
  }
  return mergeRanges(all);
}

/** rangeElement prints a range as an nft interval set element (`a.b.c.d` or `a.b.c.d-e.f.g.h`). */
export function rangeElement(r: AddressRange): string {
  return r.first === r.last ? formatIPv4(r.first) : `${formatIPv4(r.first)}-${formatIPv4(r.last)}`;
}
