import { createHash, randomUUID } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { MachineResources } from './config.js';

/** SystemInfo is what the agent reports about the machine it runs on (gathered once per process). */
export interface SystemInfo extends MachineResources {
  hostname: string;
  kernelVersion: string;
  osImage: string;
  /** architecture in Go's spelling (amd64, arm64, …). */
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  /** defaultIPv4 is the first non-loopback IPv4 address ("127.0.0.1" when there is none). */
  defaultIPv4: string;
}

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** osImageOf reads PRETTY_NAME from an os-release file's text. */
export function osImageOf(osRelease: string | undefined): string {
  const m = /^PRETTY_NAME=("?)(.*)\1$/m.exec(osRelease ?? '');
  return m?.[2] ?? 'Linux';
}

/** firstIPv4 returns the first non-loopback IPv4 address, or 127.0.0.1. */
export function firstIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** readSystemInfo gathers the machine's facts; dataDir (if given and present) sizes ephemeral storage. */
export async function readSystemInfo(dataDir?: string): Promise<SystemInfo> {
  const info: SystemInfo = {
    hostname: hostname().toLowerCase(),
    kernelVersion: release(),
    osImage: osImageOf(await readTrimmed('/etc/os-release')),
    architecture: goArch[arch()] ?? arch(),
    machineID: (await readTrimmed('/etc/machine-id')) ?? createHash('sha256').update(hostname()).digest('hex').slice(0, 32),
    systemUUID: (await readTrimmed('/sys/class/dmi/id/product_uuid'))?.toLowerCase() ?? randomUUID(),
    bootID: (await readTrimmed('/proc/sys/kernel/random/boot_id')) ?? randomUUID(),
    defaultIPv4: firstIPv4(),
    cpus: cpus().length,
    memoryBytes: totalmem(),
  };
  for (const dir of [dataDir, '/'].filter((d): d is string => !!d)) {
    try {
      const s = await statfs(dir);
      info.ephemeralStorageBytes = s.bsize * s.blocks;
      break;
    } catch {
      // The data dir may not exist yet: size the root file system instead.
    }
  }
  return info;
}
