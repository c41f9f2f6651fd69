import type { JsonObject } from '../../api/types.js';
import { parseQuantity } from '../../api/resources/core/quantity.js';

/** machineOf reads a node's CPU cores and memory bytes from its status.capacity (what cAdvisor's machine_* and availableBytes use). */
export function machineOf(capacity: JsonObject): { cpuCores: number; memoryBytes: number } {
  const q = (k: string): number => {
    const v = capacity[k];
    return typeof v === 'string' || typeof v === 'number' ? (parseQuantity(v) ?? 0) : 0;
  };
  return { cpuCores: q('cpu'), memoryBytes: Math.floor(q('memory')) };
}
