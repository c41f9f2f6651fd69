import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isManifestFile, SKIP_SUFFIX } from './documents.js';

/** MAX_DEPTH and MAX_FILES bound one walk of the manifests folder. */
const MAX_DEPTH = 8;
const MAX_FILES = 10_000;

/** ManifestListing is one walk of the folder: the files to apply and those a `.skip` turns off. */
export interface ManifestListing {
  apply: string[];
  skipped: string[];
}

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= MAX_FILES) return;
    const path = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) await walk(path, depth + 1, out);
    else if (e.isFile()) out.push(path);
  }
}

/**
 * listManifests walks dir and its subfolders (bounded, sorted by name) for `*.yaml`, `*.yml` and
 * `*.json` files; a file with a sibling `<file>.skip` is listed as skipped, as k3s does. A missing
 * folder lists nothing.
 */
export async function listManifests(dir: string): Promise<ManifestListing> {
  const all: string[] = [];
  await walk(dir, 0, all);
  const present = new Set(all);
  const listing: ManifestListing = { apply: [], skipped: [] };
  for (const path of all) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!isManifestFile(name)) continue;
    (present.has(path + SKIP_SUFFIX) ? listing.skipped : listing.apply).push(path);
  }
  return listing;
}
