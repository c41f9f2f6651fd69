import { describe } from 'node:test';
import type { BackendFactory } from './contract_helpers.js';
import { lifecycleContract } from './contract_lifecycle.js';
import { readContract } from './contract_reads.js';
import { watchContract } from './contract_watch.js';
import { writeContract } from './contract_writes.js';

export type { BackendFactory } from './contract_helpers.js';

/**
 * runBackendContract registers one node:test suite, named after the driver, that every Backend
 * must pass: revisions, create/update/delete compare-and-swap, reads at a revision, prefix and
 * paging rules, watch ordering across replay and live events, group writes, compaction, value
 * limits (the default 1.5 MiB) and close. factory returns a fresh empty backend per test and a
 * cleanup that closes it (close must tolerate being called twice) and removes its files.
 */
export function runBackendContract(name: string, factory: BackendFactory): void {
  describe(`storage contract: ${name}`, () => {
    describe('writes', () => writeContract(factory));
    describe('reads', () => readContract(factory));
    describe('watch', () => watchContract(factory));
    describe('compaction and close', () => lifecycleContract(factory));
  });
}
