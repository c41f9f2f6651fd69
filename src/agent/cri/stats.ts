import { asMsg, big, num, str, type Msg } from './decode.js';
import type { CriContainerStats, CriCpuUsage, CriMemoryUsage } from './types.js';

/** u64 reads a UInt64Value wrapper: undefined when the runtime left it out. */
function u64(m: Msg | undefined, k: string): number | undefined {
  const w = asMsg(m?.[k]);
  return w ? num(w, 'value') : undefined;
}

function strMap(v: unknown): Record<string, string> {
  const m = asMsg(v);
  const out: Record<string, string> = {};
  if (m) for (const [k, x] of Object.entries(m)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** decodeCpuUsage reads CRI's CpuUsage. */
export function decodeCpuUsage(m: Msg | undefined): CriCpuUsage | undefined {
  if (!m) return undefined;
  return { timestamp: big(m, 'timestamp'), usageCoreNanoSeconds: u64(m, 'usageCoreNanoSeconds'), usageNanoCores: u64(m, 'usageNanoCores') };
}

/** decodeMemoryUsage reads CRI's MemoryUsage. */
export function decodeMemoryUsage(m: Msg | undefined): CriMemoryUsage | undefined {
  if (!m) return undefined;
  return {
    timestamp: big(m, 'timestamp'),
    workingSetBytes: u64(m, 'workingSetBytes'),
    availableBytes: u64(m, 'availableBytes'),
    usageBytes: u64(m, 'usageBytes'),
    rssBytes: u64(m, 'rssBytes'),
    pageFaults: u64(m, 'pageFaults'),
    majorPageFaults: u64(m, 'majorPageFaults'),
  };
}

/** decodeContainerStats reads one ContainerStats. */
export function decodeContainerStats(m: Msg): CriContainerStats {
  const attrs = asMsg(m['attributes']);
  return { id: str(attrs, 'id'), name: str(asMsg(attrs?.['metadata']), 'name'), labels: strMap(attrs?.['labels']), cpu: decodeCpuUsage(asMsg(m['cpu'])), memory: decodeMemoryUsage(asMsg(m['memory'])) };
}
