import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostPlan, LabPlan } from './topology.js';

/** LabHostState is a planned host plus what runs there. */
export interface LabHostState extends HostPlan {
  /** dir holds the host's data dir and its skiff.log. */
  dir: string;
  /** argv are the skiff arguments the host runs (none for the client), or the program's with `program`. */
  argv: string[];
  /** program runs instead of skiff (the registry host's docker-registry). */
  program?: string;
  pid?: number;
  /** halted is true between `lab halt` and `lab start`. */
  halted: boolean;
}

/** LabState is `<labdir>/lab.json`: everything `lab exec/halt/start/down` need to find the lab again. */
export interface LabState extends Omit<LabPlan, 'hosts'> {
  version: 1;
  dir: string;
  runtime: string;
  /** cgroupDirs are the per-lab cgroup folders (one per hierarchy used), removed by `lab down`. */
  cgroupDirs: string[];
  /** serviceCIDR is the cluster's Service range, routed onto each node host's cable. */
  serviceCIDR?: string;
  createdAt: string;
  hosts: LabHostState[];
}

/** DEFAULT_LAB_ROOT is where labs live unless --dir says otherwise: `/var/lib/skiff-lab/<name>`. */
export const DEFAULT_LAB_ROOT = '/var/lib/skiff-lab';

/** labStatePath is `<dir>/lab.json`. */
export function labStatePath(dir: string): string {
  return join(dir, 'lab.json');
}

/** readLabState loads lab.json, failing with a hint when there is no lab in dir. */
export async function readLabState(dir: string): Promise<LabState> {
  const path = labStatePath(dir);
  if (!existsSync(path)) throw new Error(`no lab in ${dir} (${path} does not exist): start one with 'skiff lab up'`);
  const state = JSON.parse(await readFile(path, 'utf8')) as LabState;
  if (state.version !== 1 || !Array.isArray(state.hosts)) throw new Error(`${path} is not a skiff lab state file`);
  return state;
}

/** writeLabState saves lab.json atomically. */
export async function writeLabState(state: LabState): Promise<void> {
  const path = labStatePath(state.dir);
  await writeFile(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n');
  await rename(`${path}.tmp`, path);
}

/** labHost returns the named host, or fails listing the lab's hosts. */
export function labHost(state: LabState, name: string): LabHostState {
  const h = state.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`lab ${state.name} has no host ${JSON.stringify(name)}: hosts are ${state.hosts.map((x) => x.name).join(', ')}`);
  return h;
}
