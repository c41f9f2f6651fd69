import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { ApiCore } from '../core.js';
import type { AesProviderName } from './aes.js';
import { initialConfig, readTextIfExists, writeEncryptionConfig, writePrivateFile } from './config_file.js';
import { rotated, secretsKeyring, withNewKey, withoutLastKey, withSecretsKeyring, type SecretsKeyring } from './keyring.js';
import { STAGE, type EncryptionRequest, type EncryptionState, type KeyType, type ReencryptProgress } from './protocol.js';
import { reencryptSecrets } from './reencrypt.js';
import type { EncryptionRuntime } from './runtime.js';

/** EncryptionRequestError is a request secrets-encrypt refuses (wrong stage, nothing to change); the message says what to do. */
export class EncryptionRequestError extends Error {
  override name = 'EncryptionRequestError';
}

/** EncryptionManagerOptions configure an EncryptionManager. */
export interface EncryptionManagerOptions {
  runtime: EncryptionRuntime;
  core: ApiCore;
  /** statePath keeps the stage (`<stage>-<config hash>`). */
  statePath: string;
  /** provider is the type of new keys (--secrets-encryption-provider). */
  provider: AesProviderName;
  logger: Logger;
  clock: Clock;
  /** signal ends a reencryption in progress (server stop). */
  signal: AbortSignal;
}

const KEY_TYPES: Record<AesProviderName, KeyType> = { aescbc: 'AES-CBC', aesgcm: 'AES-GCM' };

/**
 * EncryptionManager carries out `skiff secrets-encrypt` on the running server, as k3s's
 * supervisor does: it changes the configuration file, uses the result at once (no restart), keeps
 * the rotation stage, and reencrypts Secrets in the background. Requests run one at a time; a
 * request that changes keys is refused while a reencryption runs.
 */
export class EncryptionManager {
  private stage: string = STAGE.start;
  private progress: ReencryptProgress | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly o: EncryptionManagerOptions) {}

  /** open reads the stage kept in statePath (`start` when there is none). */
  static async open(o: EncryptionManagerOptions): Promise<EncryptionManager> {
    const m = new EncryptionManager(o);
    const kept = (await readTextIfExists(o.statePath))?.trim() ?? '';
    const stage = kept.split('-')[0] ?? '';
    if (Object.values(STAGE).includes(stage as never)) m.stage = stage;
    // Values the configuration before could not read may read now.
    o.runtime.onChange(() => {
      o.core
        .redecode()
        .then((n) => n && o.logger.info('secrets encryption: values unreadable before read with the new configuration', { count: n }))
        .catch((e: Error) => o.logger.warn('secrets encryption: reading unreadable values again failed', { err: e.message }));
    });
    // A reencryption that a stop cut short is not running any more: `reencrypt --force` resumes it.
    return m;
  }

  /** status is the state `secrets-encrypt status` prints. */
  status(): Promise<EncryptionState> {
    return this.serial(() => this.currentStatus());
  }

  /** handle carries out one PUT request; throws EncryptionRequestError when it is refused. */
  handle(req: EncryptionRequest): Promise<EncryptionState> {
    return this.serial(async () => {
      await this.o.runtime.load();
      if (this.o.runtime.loadError && this.o.runtime.current) throw new EncryptionRequestError(`the encryption configuration file cannot be used: ${this.o.runtime.loadError}`);
      if (req.stage !== undefined) await this.moveTo(req.stage, req.force === true, req.skip === true);
      else if (req.enable !== undefined) await this.enable(req.enable);
      else throw new EncryptionRequestError('the request names neither a stage nor enable');
      return this.currentStatus();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async currentStatus(): Promise<EncryptionState> {
    const { runtime } = this.o;
    await runtime.load();
    const current = runtime.current;
    if (!current) return { stage: this.stage, activekey: '' };
    const ring = secretsKeyring(current.config);
    const fileHash = await runtime.fileHash();
    const hashmatch = runtime.loadError === '' && fileHash === current.hash;
    const names = ring.keys.map((k) => k.name);
    const state: EncryptionState = {
      stage: this.stage,
      activekey: ring.enabled ? (names[0] ?? '') : '',
      enable: ring.enabled,
      hashmatch,
      keytypes: Object.fromEntries(ring.keys.map((k) => [k.name, KEY_TYPES[k.provider]])),
    };
    const inactive = ring.enabled ? names.slice(1) : names;
    if (inactive.length) state.inactivekeys = inactive;
    if (!hashmatch) state.hasherror = runtime.loadError || `the running server uses configuration ${current.hash.slice(0, 12)}, but ${runtime.path} holds ${fileHash.slice(0, 12) || 'nothing'}`;
    if (this.progress) state.reencrypt = { ...this.progress };
    return state;
  }

  private checkStage(allowed: string[], force: boolean): void {
    if (this.progress?.running) throw new EncryptionRequestError(`reencryption is in progress (${this.progress.done}/${this.progress.total} Secrets): wait until status shows ${STAGE.reencryptFinished}`);
    if (!force && !allowed.includes(this.stage)) throw new EncryptionRequestError(`incorrect stage: ${this.stage} found, want ${allowed.join(' or ')} (--force skips this check)`);
  }

  private ring(): SecretsKeyring {
    const current = this.o.runtime.current;
    if (!current) throw new EncryptionRequestError('secrets encryption has no configuration: run `skiff secrets-encrypt enable` or start the server with --secrets-encryption');
    return secretsKeyring(current.config);
  }

  private async moveTo(stage: string, force: boolean, skip: boolean): Promise<void> {
    const now = new Date(this.o.clock.now());
    switch (stage) {
      case STAGE.prepare:
        this.checkStage([STAGE.start, STAGE.reencryptFinished], force);
        await this.writeRing(withNewKey(this.ring(), this.o.provider, now), 'added a key for the next rotation');
        return this.setStage(STAGE.prepare);
      case STAGE.rotate:
        this.checkStage([STAGE.prepare], force);
        await this.writeRing(rotated(this.ring()), 'rotated the keys: the newest key writes');
        return this.setStage(STAGE.rotate);
      case STAGE.reencryptActive:
        this.checkStage([STAGE.rotate], force);
        return this.startReencrypt(skip);
      case STAGE.rotateKeys:
        this.checkStage([STAGE.start, STAGE.reencryptFinished], false);
        await this.writeRing(rotated(withNewKey(this.ring(), this.o.provider, now)), 'added a new key, which writes from now on');
        return this.startReencrypt(false);
      default:
        throw new EncryptionRequestError(`unknown stage ${stage} requested`);
    }
  }

  private async enable(on: boolean): Promise<void> {
    this.checkStage(Object.values(STAGE), true);
    const { runtime } = this.o;
    if (!runtime.current) {
      if (!on) return this.o.logger.info('secrets encryption already disabled');
      runtime.adopt(await writeEncryptionConfig(runtime.path, initialConfig(this.o.provider)));
      this.o.logger.info('secrets encryption enabled with a new key', { path: runtime.path });
    } else {
      const ring = this.ring();
      if (ring.enabled === on) return this.o.logger.info(`secrets encryption already ${on ? 'enabled' : 'disabled'}`);
      const next = on && ring.keys.length === 0 ? withNewKey(ring, this.o.provider, new Date(this.o.clock.now())) : ring;
      await this.writeRing({ ...next, enabled: on }, on ? 'enabled secrets encryption' : 'disabled secrets encryption');
    }
    // As k3s: the Secrets are rewritten in their new form; no key is dropped afterwards.
    await this.startReencrypt(true);
  }

  private async writeRing(ring: SecretsKeyring, what: string): Promise<void> {
    const { runtime } = this.o;
    const loaded = await writeEncryptionConfig(runtime.path, withSecretsKeyring(runtime.current!.config, ring));
    runtime.adopt(loaded);
    this.o.logger.info(`secrets encryption: ${what}`, { keys: ring.keys.map((k) => k.name).join(','), enabled: ring.enabled });
  }

  private async setStage(stage: string): Promise<void> {
    this.stage = stage;
    await writePrivateFile(this.o.statePath, `${stage}-${this.o.runtime.current?.hash ?? ''}`);
  }

  private async startReencrypt(skip: boolean): Promise<void> {
    await this.setStage(STAGE.reencryptRequest);
    this.progress = { done: 0, total: 0, failed: 0, running: true };
    await this.setStage(STAGE.reencryptActive);
    void this.runReencrypt(skip, this.progress);
  }

  private async runReencrypt(skip: boolean, progress: ReencryptProgress): Promise<void> {
    const { logger, runtime } = this.o;
    const started = this.o.clock.now();
    try {
      const r = await reencryptSecrets({
        core: this.o.core,
        transformer: () => runtime.transformerFor('', 'secrets'),
        logger,
        signal: this.o.signal,
        onProgress: (done, total, failed) => {
          Object.assign(progress, { done, total, failed });
          if (total > 100) logger.info(`secrets reencryption: ${done}/${total} Secrets`, { failed });
        },
      });
      if (r.failed) {
        progress.error = `${r.failed} of ${r.done} Secrets could not be rewritten (first: ${r.firstError ?? 'see the server log'}); no key was removed`;
        logger.error('secrets reencryption finished with failures', { failed: r.failed, done: r.done });
        return;
      }
      await this.serial(async () => {
        if (!skip) {
          const { ring, dropped } = withoutLastKey(this.ring());
          if (dropped) await this.writeRing(ring, `removed key ${dropped}, which no Secret uses any more`);
        }
        await this.setStage(STAGE.reencryptFinished);
      });
      logger.info('secrets reencryption finished', { secrets: r.done, rewritten: r.rewritten, ms: this.o.clock.now() - started });
    } catch (e) {
      progress.error = (e as Error).message;
      if (!this.o.signal.aborted) logger.error('secrets reencryption failed', { err: progress.error });
    } finally {
      progress.running = false;
    }
  }
}
