/** Host-local style pod IP allocation from a node's IPv4 pod CIDR. */

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * PodIPAllocator hands out the addresses of an IPv4 CIDR as CNI host-local does: the network
 * address and .1 (the bridge gateway) and the broadcast address are never given; allocation goes
 * round-robin from the last address handed out, so a freed address is not reused at once.
 */
export class PodIPAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly used = new Map<number, string>();
  private cursor: number;

  constructor(readonly cidr: string) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
    const bits = m ? Number(m[2]) : NaN;
    if (!m || !(bits >= 8 && bits <= 30)) throw new Error(`invalid pod CIDR ${JSON.stringify(cidr)}: want an IPv4 CIDR with a prefix of /8 to /30`);
    const size = 2 ** (32 - bits);
    const base = ipToInt(m[1]!) - (ipToInt(m[1]!) % size);
    this.first = base + 2;
    this.last = base + size - 2;
    this.cursor = this.first - 1;
  }

  /** allocate returns a free address for owner; throws when the range is exhausted. */
  allocate(owner: string): string {
    const span = this.last - this.first + 1;
    for (let i = 1; i <= span; i++) {
      const candidate = this.first + ((this.cursor - this.first + i) % span);
      if (!this.used.has(candidate)) {
        this.used.set(candidate, owner);
        this.cursor = candidate;
        return intToIp(candidate);
      }
    }
    throw new Error(`no free pod IP left in ${this.cidr}`);
  }

  /** reserve marks ip as owner's (a pod re-adopted after a restart); false when it is outside the range or taken by another owner. */
  reserve(ip: string, owner: string): boolean {
    let n: number;
    try {
      n = ipToInt(ip);
    } catch {
      return false;
    }
    if (n < this.first || n > this.last) return false;
    const holder = this.used.get(n);
    if (holder !== undefined && holder !== owner) return false;
    this.used.set(n, owner);
    return true;
  }

  /** release frees ip (no-op when it is not allocated). */
  release(ip: string): void {
    try {
      this.used.delete(ipToInt(ip));
    } catch {
      // Not an address we could have handed out.
    }
  }

  /** size is the number of addresses in use. */
  get size(): number {
    return this.used.size;
  }
}
