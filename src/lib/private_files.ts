import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Repair is one mode skiff changed: what it was and what it is now. */
export interface Repair {
  path: string;
  from: number;
  to: number;
}

/** restrict sets a file's or folder's mode (not following symlinks); returns the repair, or nothing when it already had it or does not exist. */
export function restrict(path: string, mode: number): Repair | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (st.isSymbolicLink()) return undefined;
  const from = st.mode & 0o7777;
  if (from === mode) return undefined;
  chmodSync(path, mode);
  return { path, from, to: mode };
}

/** restrictTree makes a folder and everything in it root-only: folders 0700, files 0600 (symlinks, sockets and the like untouched). */
export function restrictTree(root: string): Repair[] {
  const out: Repair[] = [];
  const walk = (dir: string): void => {
    const r = restrict(dir, 0o700);
    if (r) out.push(r);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) {
        const f = restrict(path, 0o600);
        if (f) out.push(f);
      }
    }
  };
  if (isDirectory(root)) walk(root);
  return out;
}

/** restrictFiles makes the regular files directly in a folder 0600 (its folders are left alone). */
export function restrictFiles(dir: string): Repair[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => restrict(join(dir, e.name), 0o600)).filter((r): r is Repair => r !== undefined);
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
