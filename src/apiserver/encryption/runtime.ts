import type { Logger } from '../../lib/log.js';
import type { AesProviderName } from './aes.js';
import { buildTransformers, EncryptionConfigError } from './config.js';
import { initialConfig, readEncryptionConfig, readTextIfExists, configHash, writeEncryptionConfig, type LoadedConfig } from './config_file.js';
import type { ValueTransformer } from './transformer.js';

/** EncryptionRuntimeOptions configure EncryptionRuntime.open. */
export interface EncryptionRuntimeOptions {
  /** path is the configuration file (`<data-dir>/server/cred/encryption-config.json`). */
  path: string;
  /** enable is --secrets-encryption: create the configuration when there is none. */
  enable: boolean;
  /** provider writes the first key of a new configuration (--secrets-encryption-provider). */
  provider: AesProviderName;
  logger: Logger;
}

/** InUse is a configuration in use with its transformers. */
interface InUse extends LoadedConfig {
  transformers: (group: string, plural: string) => ValueTransformer | undefined;
}

/**
 * EncryptionRuntime is the encryption configuration the running API server uses. It starts from
 * the file (created by --secrets-encryption when absent; used whenever present, as k3s keeps it
 * once encryption was enabled), and load() swaps in the file's current content at once, so a
 * change applies to the next read and write without a restart. A file that cannot be used is
 * refused and the configuration in use stays.
 */
export class EncryptionRuntime {
  private inUse: InUse | undefined;
  private readonly listeners: (() => void)[] = [];
  /** loadError is why the file's current content is not in use ('' when it is). */
  loadError = '';

  private constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** open loads (or, when enabled and absent, creates) the configuration; a file that cannot be used stops the start (EncryptionConfigError). */
  static async open(o: EncryptionRuntimeOptions): Promise<EncryptionRuntime> {
    const rt = new EncryptionRuntime(o.path, o.logger);
    let loaded = await readEncryptionConfig(o.path);
    if (!loaded && o.enable) {
      loaded = await writeEncryptionConfig(o.path, initialConfig(o.provider));
      o.logger.info('secrets encryption: generated a new key and configuration', { path: o.path, provider: o.provider });
    } else if (loaded && !o.enable) {
      o.logger.info('secrets encryption: using the existing configuration (it stays once encryption was enabled)', { path: o.path });
    }
    if (loaded) rt.use(loaded);
    return rt;
  }

  private use(loaded: LoadedConfig): void {
    this.inUse = { ...loaded, transformers: buildTransformers(loaded.config) };
    this.loadError = '';
    for (const fn of this.listeners) fn();
  }

  /** onChange calls fn whenever another configuration comes into use. */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** transformerFor is the transformer of a resource under the configuration in use (undefined: stored as is). */
  transformerFor(group: string, plural: string): ValueTransformer | undefined {
    return this.inUse?.transformers(group, plural);
  }

  /** current is the configuration in use and its hash (undefined: none). */
  get current(): LoadedConfig | undefined {
    return this.inUse;
  }

  /** fileHash is the hash of the file as it is now ('' when it does not exist). */
  async fileHash(): Promise<string> {
    const text = await readTextIfExists(this.path);
    return text === undefined ? '' : configHash(text);
  }

  /**
   * load reads the file and uses it when it changed; returns true when the configuration in use
   * changed. A missing or invalid file keeps the configuration in use (loadError says why).
   */
  async load(): Promise<boolean> {
    let loaded: LoadedConfig | undefined;
    try {
      loaded = await readEncryptionConfig(this.path);
    } catch (e) {
      const why = e instanceof EncryptionConfigError ? e.message : `cannot read ${this.path}: ${(e as Error).message}`;
      if (why !== this.loadError) this.logger.error('secrets encryption: the configuration file cannot be used; keeping the one in use', { err: why });
      this.loadError = why;
      return false;
    }
    if (!loaded) {
      this.loadError = this.inUse ? `${this.path} is missing; the server keeps the configuration it loaded before` : '';
      return false;
    }
    if (loaded.hash === this.inUse?.hash) {
      this.loadError = '';
      return false;
    }
    this.use(loaded);
    this.logger.info('secrets encryption: loaded the configuration', { path: this.path, hash: loaded.hash.slice(0, 12) });
    return true;
  }

  /** adopt uses a configuration its caller has just written to the file. */
  adopt(loaded: LoadedConfig): void {
    this.use(loaded);
  }

  /** watch reloads the file every intervalMs (as kube-apiserver's automatic reload) until signal aborts. */
  watch(signal: AbortSignal, intervalMs = 60_000): void {
    const timer = setInterval(() => void this.load(), intervalMs);
    timer.unref();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
}
