import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import type { Transport } from '../../api/transport.js';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/log.js';
import { AddonRecords, type AddonRecord } from './addons.js';
import { applyObject, deleteObject, refKey, resolveTarget, type ApplyTarget, type ObjectRef, type ResolveKind } from './apply.js';
import { addonName, splitManifest } from './documents.js';
import { listManifests } from './files.js';

/** RESCAN_INTERVAL_MS is how often the folder is read again besides file events (k3s polls every 15 s). */
const RESCAN_INTERVAL_MS = 15_000;
/** DEBOUNCE_MS gathers the burst of events an editor's save makes into one pass. */
const DEBOUNCE_MS = 200;
/** MAX_FILE_BYTES bounds what one manifest file may hold. */
const MAX_FILE_BYTES = 8 << 20;

/** ManifestDeployerOptions: the folder, and the API the objects go to. */
export interface ManifestDeployerOptions {
  /** dir is `<data-dir>/server/manifests`. */
  dir: string;
  /** transport calls the API as the supervisor. */
  transport: Transport;
  resolve: ResolveKind;
  logger: Logger;
  rescanIntervalMs?: number;
  debounceMs?: number;
}

/** FileOutcome is what one file's pass did. */
export interface FileOutcome {
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  failed: number;
}

function checksumOf(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** union keeps a and adds what b has beyond it. */
function union(a: ObjectRef[], b: ObjectRef[]): ObjectRef[] {
  const seen = new Set(a.map(refKey));
  return [...a, ...b.filter((r) => !seen.has(refKey(r)))];
}

function sameRecord(a: AddonRecord | undefined, b: AddonRecord): boolean {
  return !!a && a.source === b.source && a.checksum === b.checksum && JSON.stringify(a.objects) === JSON.stringify(b.objects);
}

/**
 * ManifestDeployer is k3s's deploy controller: every manifest file in its folder is applied at
 * start and again when it changes; objects dropped from a file are deleted, tracked per file in an
 * addon record; a `<file>.skip` keeps a file from being applied (its objects stay); a failing file
 * is logged with its name and never stops the others.
 */
export class ManifestDeployer {
  private readonly records: AddonRecords;
  /** applied maps a file to the checksum last applied in full (or last found unparseable) in this run. */
  private readonly applied = new Map<string, string>();
  private pass: Promise<void> = Promise.resolve();
  /** stopped ends passes between files once the server stops. */
  private stopped: AbortSignal | undefined;

  constructor(private readonly opts: ManifestDeployerOptions) {
    this.records = new AddonRecords(opts.transport);
  }

  /** dir is the folder deployed from. */
  get dir(): string {
    return this.opts.dir;
  }

  /**
   * start applies every file once (awaited), then follows the folder with fs.watch and a periodic
   * rescan until signal aborts.
   */
  async start(signal: AbortSignal): Promise<void> {
    this.stopped = signal;
    await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    const started = performance.now();
    await this.deployAll(true);
    this.opts.logger.info('manifests folder deployed', { dir: this.opts.dir, ms: Math.round(performance.now() - started) });
    if (signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      if (timer || signal.aborted) return;
      timer = setTimeout(() => {
        timer = undefined;
        void this.deployAll(false);
      }, this.opts.debounceMs ?? DEBOUNCE_MS);
      timer.unref();
    };
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.opts.dir, { persistent: false }, schedule);
      watcher.on('error', (e) => this.opts.logger.warn('watching the manifests folder failed; rescanning on the interval only', { dir: this.opts.dir, error: e.message }));
    } catch (e) {
      this.opts.logger.warn('cannot watch the manifests folder; rescanning on the interval only', { dir: this.opts.dir, error: (e as Error).message });
    }
    const interval = setInterval(() => void this.deployAll(false), this.opts.rescanIntervalMs ?? RESCAN_INTERVAL_MS);
    interval.unref();
    signal.addEventListener('abort', () => {
      clearInterval(interval);
      if (timer) clearTimeout(timer);
      watcher?.close();
    }, { once: true });
  }

  /** deployAll runs one pass over the folder after any pass in progress; force re-applies unchanged files. */
  deployAll(force: boolean): Promise<void> {
    this.pass = this.pass.then(() => this.runPass(force));
    return this.pass;
  }

  private async runPass(force: boolean): Promise<void> {
    let listing;
    try {
      listing = await listManifests(this.opts.dir);
    } catch (e) {
      this.opts.logger.error('cannot read the manifests folder', { dir: this.opts.dir, error: (e as Error).message });
      return;
    }
    for (const path of listing.apply) {
      if (this.stopped?.aborted) return;
      try {
        await this.deployFile(path, force);
      } catch (e) {
        this.opts.logger.error('failed to apply manifest', { file: path, error: (e as Error).message });
      }
    }
  }

  /** deployFile applies one file (unless unchanged since its last full apply and not forced) and returns what it did. */
  async deployFile(path: string, force: boolean): Promise<FileOutcome | undefined> {
    const size = (await stat(path)).size;
    if (size > MAX_FILE_BYTES) throw new Error(`the file is ${size} bytes; at most ${MAX_FILE_BYTES} are read`);
    const content = await readFile(path);
    const checksum = checksumOf(content);
    if (!force && this.applied.get(path) === checksum) return undefined;
    let objects: KubeObject[];
    try {
      objects = splitManifest(content.toString('utf8'));
    } catch (e) {
      // Bad content stays bad until the file changes: no use logging it at every rescan.
      this.applied.set(path, checksum);
      throw e;
    }
    const outcome = await this.applyObjects(path, addonName(path), checksum, objects);
    if (outcome.failed === 0) this.applied.set(path, checksum);
    const changed = outcome.created + outcome.configured + outcome.pruned;
    (changed > 0 || outcome.failed > 0 ? this.opts.logger.info : this.opts.logger.debug)('applied manifest', { file: path, ...outcome });
    return outcome;
  }

  private async applyObjects(path: string, addon: string, checksum: string, objects: KubeObject[]): Promise<FileOutcome> {
    // A half-applied file prunes nothing and keeps tracking everything, to be finished on a later pass.
    const previous = await this.records.get(addon);
    const outcome: FileOutcome = { created: 0, configured: 0, unchanged: 0, pruned: 0, failed: 0 };
    // Namespaces first, so the file's other objects can go into them.
    const ordered = [...objects.filter((o) => o.kind === 'Namespace'), ...objects.filter((o) => o.kind !== 'Namespace')];
    const targets: ApplyTarget[] = [];
    const applied: ObjectRef[] = [];
    for (const obj of ordered) {
      try {
        const t = resolveTarget(this.opts.resolve, obj);
        targets.push(t);
        outcome[await applyObject(this.opts.transport, t)]++;
        applied.push(t.ref);
      } catch (e) {
        outcome.failed++;
        this.opts.logger.error('failed to apply manifest object', { file: path, object: `${obj.kind ?? ''}/${obj.metadata.name ?? ''}`, namespace: obj.metadata.namespace ?? '', error: (e as Error).message });
      }
    }
    const tracked = outcome.failed > 0 ? union(previous?.objects ?? [], applied) : await this.prune(path, previous?.objects ?? [], targets, outcome);
    const record: AddonRecord = { source: path, checksum: outcome.failed > 0 ? '' : checksum, objects: tracked };
    if (!sameRecord(previous, record)) await this.records.put(addon, record);
    return outcome;
  }

  /** prune deletes what the file had and no longer has; it returns what stays tracked. */
  private async prune(path: string, previous: ObjectRef[], targets: ApplyTarget[], outcome: FileOutcome): Promise<ObjectRef[]> {
    const desired = new Set(targets.map((t) => refKey(t.ref)));
    const tracked = targets.map((t) => t.ref);
    for (const ref of previous) {
      if (desired.has(refKey(ref))) continue;
      try {
        await deleteObject(this.opts.transport, this.opts.resolve, ref);
        outcome.pruned++;
      } catch (e) {
        tracked.push(ref);
        this.opts.logger.error('failed to delete an object removed from its manifest', { file: path, object: `${ref.kind}/${ref.name}`, namespace: ref.namespace, error: (e as Error).message });
      }
    }
    return tracked;
  }

  /**
   * removeAddon deletes every object an addon's record tracks and then the record (what k3s does
   * for `--disable NAME`); the caller removes the file first.
   */
  async removeAddon(addon: string): Promise<number> {
    const record = await this.records.get(addon);
    if (!record) return 0;
    for (const ref of record.objects) await deleteObject(this.opts.transport, this.opts.resolve, ref);
    await this.records.delete(addon);
    this.opts.logger.info('removed disabled addon', { addon, objects: record.objects.length });
    return record.objects.length;
  }
}
