import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

/** k8sNamespace is the containerd namespace the CRI plugin reads images from. */
export const k8sNamespace = 'k8s.io';

/** CtrOptions say how to reach containerd with `ctr`. */
export interface CtrOptions {
  /** socket is containerd's gRPC socket. */
  socket: string;
  /** ctr is the ctr command (default `ctr` from PATH; it ships with Debian's containerd package). */
  ctr?: string;
  /** snapshotter to unpack into (the one the CRI plugin uses; default containerd's default). */
  snapshotter?: string;
  /** timeoutMs bounds one ctr run (default 10 min: big archives take a while to unpack). */
  timeoutMs?: number;
}

/** ImportResult is the outcome of importing one archive. */
export interface ImportResult {
  file: string;
  size: number;
  ok: boolean;
  /** images are the references ctr reported (empty on failure). */
  images: string[];
  error?: string;
  durationMs: number;
}

/** runCtr runs `ctr -a SOCK -n k8s.io ARGS…`, optionally feeding stdin; it resolves with stdout and rejects with stderr. */
export function runCtr(opts: CtrOptions, args: string[], stdin?: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.ctr ?? 'ctr', ['-a', opts.socket, '-n', k8sNamespace, ...args], {
      stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 600_000,
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new Error(missing ? 'ctr not found: install the Debian package containerd (apt-get install containerd)' : e.message));
    });
    child.on('close', (code, sig) => {
      if (code === 0) resolve(out);
      else reject(new Error(`ctr ${args[0] ?? ''} ${args[1] ?? ''} failed (${sig ?? `exit ${code ?? '?'}`}): ${err.trim() || out.trim()}`));
    });
    if (stdin && child.stdin) {
      stdin.on('error', (e: Error) => child.stdin?.destroy(e));
      child.stdin.on('error', () => undefined); // ctr exiting early closes the pipe; its exit status reports why
      stdin.pipe(child.stdin);
    }
  });
}

/** isImageArchive says whether a file name looks like an image archive the agent imports. */
export function isImageArchive(name: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/.test(name);
}

/** importedNames picks image references out of `ctr images import` output ("unpacking REF (sha256:…)…done"). */
export function importedNames(output: string): string[] {
  const names = new Set<string>();
  for (const m of output.matchAll(/^unpacking (\S+) \(sha256:[0-9a-f]+\)/gm)) if (m[1]) names.add(m[1]);
  return [...names];
}

/**
 * importImage imports one OCI-layout or docker-archive tarball (plain or gzip'd) into the k8s.io
 * namespace with `ctr images import`, unpacking it for the CRI snapshotter. It never throws: the
 * result says whether it worked.
 */
export async function importImage(file: string, opts: CtrOptions): Promise<ImportResult> {
  const start = Date.now();
  let size = 0;
  try {
    size = statSync(file).size;
    const gz = /\.(gz|tgz)$/.test(file);
    const args = ['images', 'import', ...(opts.snapshotter ? ['--snapshotter', opts.snapshotter] : []), gz ? '-' : file];
    const out = await runCtr(opts, args, gz ? createReadStream(file).pipe(createGunzip()) : undefined);
    return { file, size, ok: true, images: importedNames(out), durationMs: Date.now() - start };
  } catch (e) {
    return { file, size, ok: false, images: [], error: (e as Error).message, durationMs: Date.now() - start };
  }
}

/** formatImportResult is the progress line of one import: file, size, done/failed. */
export function formatImportResult(r: ImportResult): string {
  const mb = (r.size / (1024 * 1024)).toFixed(1);
  return r.ok
    ? `${r.file} (${mb} MiB): done in ${(r.durationMs / 1000).toFixed(1)}s${r.images.length ? ` [${r.images.join(', ')}]` : ''}`
    : `${r.file} (${mb} MiB): failed: ${r.error ?? 'unknown error'}`;
}

/**
 * importImageDir imports every *.tar, *.tar.gz and *.tgz of dir (sorted by name), one at a time,
 * calling onResult after each; a missing dir imports nothing.
 */
export async function importImageDir(dir: string, opts: CtrOptions, onResult?: (r: ImportResult) => void): Promise<ImportResult[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isImageArchive).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const results: ImportResult[] = [];
  for (const n of names) {
    const r = await importImage(join(dir, n), opts);
    onResult?.(r);
    results.push(r);
  }
  return results;
}

/** imageExists asks containerd whether the k8s.io namespace has an image named ref. */
export async function imageExists(ref: string, opts: CtrOptions): Promise<boolean> {
  const out = await runCtr(opts, ['images', 'ls', '-q']);
  return out.split('\n').some((l) => l.trim() === ref);
}
