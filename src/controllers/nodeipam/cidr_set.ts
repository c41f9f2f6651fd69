/** parseIPv4 returns an IPv4 address as an unsigned 32-bit number, or undefined. */
function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

const formatIPv4 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/**
 * CidrSet hands out the subnets of size /maskSize of a cluster CIDR (IPv4), lowest free first, as
 * the node IPAM range allocator does: 10.42.0.0/16 with /24 gives 10.42.0.0/24, 10.42.1.0/24, …
 */
export class CidrSet {
  private readonly base: number;
  private readonly step: number;
  private readonly count: number;
  private readonly used = new Set<number>();

  constructor(
    readonly clusterCIDR: string,
    readonly maskSize: number,
  ) {
    const [ip, bitsText] = clusterCIDR.split('/');
    const bits = Number(bitsText);
    const addr = parseIPv4(ip ?? '');
    if (addr === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`invalid IPv4 cluster CIDR ${clusterCIDR}`);
    if (!Number.isInteger(maskSize) || maskSize < bits || maskSize > 32) throw new Error(`node CIDR mask size ${maskSize} does not fit in ${clusterCIDR}`);
    const size = 2 ** (32 - bits);
    this.base = addr - (addr % size);
    this.step = 2 ** (32 - maskSize);
    this.count = 2 ** (maskSize - bits);
  }

  /** indexOf returns the position of a subnet of this set, or undefined when it is not one. */
  private indexOf(cidr: string): number | undefined {
    const [ip, bits] = cidr.split('/');
    const addr = parseIPv4(ip ?? '');
    if (addr === undefined || Number(bits) !== this.maskSize) return undefined;
    const off = addr - this.base;
    if (off < 0 || off % this.step !== 0 || off / this.step >= this.count) return undefined;
    return off / this.step;
  }

  /** occupy marks a subnet used (false when it is not a subnet of this set). */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  /** release frees a subnet. */
  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used.delete(i);
  }

  /** allocateNext takes the lowest free subnet, or returns undefined when all are used. */
  allocateNext(): string | undefined {
    for (let i = 0; i < this.count; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      return `${formatIPv4(this.base + i * this.step)}/${this.maskSize}`;
    }
    return undefined;
  }
}
