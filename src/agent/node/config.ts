import type { JsonObject } from '../../api/types.js';

/** Taint is a core/v1 Taint as a node carries it. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

const effects = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
const quantity = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** parseNodeLabel reads `--node-label key=value`; throws with a message naming the flag. */
export function parseNodeLabel(s: string): [string, string] {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new Error(`invalid --node-label ${JSON.stringify(s)}: want key=value`);
  return [s.slice(0, eq), s.slice(eq + 1)];
}

/** parseNodeTaint reads `--node-taint key=value:Effect` (or `key:Effect`); throws with a message naming the flag. */
export function parseNodeTaint(s: string): Taint {
  const colon = s.lastIndexOf(':');
  const effect = colon >= 0 ? s.slice(colon + 1) : '';
  if (colon <= 0 || !effects.has(effect)) {
    throw new Error(`invalid --node-taint ${JSON.stringify(s)}: want key=value:Effect with Effect one of NoSchedule, PreferNoSchedule, NoExecute`);
  }
  const kv = s.slice(0, colon);
  const eq = kv.indexOf('=');
  const key = eq >= 0 ? kv.slice(0, eq) : kv;
  if (key === '') throw new Error(`invalid --node-taint ${JSON.stringify(s)}: the key is empty`);
  const taint: Taint = { key, effect: effect as Taint['effect'] };
  if (eq >= 0) taint.value = kv.slice(eq + 1);
  return taint;
}

/** parseNodeCapacity reads `--node-capacity cpu=2,memory=3Gi,pods=110` into resource quantities; throws on a malformed entry. */
export function parseNodeCapacity(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!name || !quantity.test(value)) throw new Error(`invalid --node-capacity entry ${JSON.stringify(part)}: want resource=quantity, e.g. cpu=2,memory=3Gi,pods=110`);
    out[name] = value;
  }
  return out;
}

/** MachineResources are what the machine has, from which default capacity is derived. */
export interface MachineResources {
  cpus: number;
  memoryBytes: number;
  /** ephemeralStorageBytes is the size of the data dir's file system, when known. */
  ephemeralStorageBytes?: number;
}

/**
 * nodeCapacity returns status.capacity: the machine's resources (memory and storage in Ki, as the
 * kubelet reports them; 110 pods; no huge pages) overridden by the explicit entries.
 */
export function nodeCapacity(machine: MachineResources, explicit: Record<string, string> = {}): JsonObject {
  const c: Record<string, string> = {
    cpu: String(machine.cpus),
    memory: `${Math.floor(machine.memoryBytes / 1024)}Ki`,
    pods: '110',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  if (machine.ephemeralStorageBytes !== undefined) c['ephemeral-storage'] = `${Math.floor(machine.ephemeralStorageBytes / 1024)}Ki`;
  return { ...c, ...explicit };
}
