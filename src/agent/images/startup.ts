import { join } from 'node:path';
import type { Logger } from '../../lib/log.js';
import { formatImportResult, importImageDir, type CtrOptions, type ImportResult } from './import.js';
import { defaultPauseImage, ensurePauseImage } from './pause.js';

/** PrepareNodeImagesOptions say where containerd and the data dir are. */
export interface PrepareNodeImagesOptions extends CtrOptions {
  dataDir: string;
  logger: Logger;
  /** sandboxImage is the pause image reference (default skiff.local/pause:3.9); a skiff.local one is built here. */
  sandboxImage?: string;
}

/**
 * prepareNodeImages runs at agent start, once containerd answers: it imports the locally built
 * pause image when missing (only for skiff.local references; others are pulled by containerd),
 * then every archive of <dataDir>/agent/images, logging one line per archive. Archive failures are
 * logged and returned, not thrown; a pause image failure throws (no pod could start).
 */
export async function prepareNodeImages(opts: PrepareNodeImagesOptions): Promise<ImportResult[]> {
  const ref = opts.sandboxImage ?? defaultPauseImage;
  if (ref.startsWith('skiff.local/')) {
    const what = await ensurePauseImage({ ...opts, ref, tmpDir: join(opts.dataDir, 'agent/tmp') });
    opts.logger.info(what === 'imported' ? 'imported the pause image' : 'pause image present', { image: ref });
  }
  const dir = join(opts.dataDir, 'agent/images');
  return importImageDir(dir, opts, (r) => {
    if (r.ok) opts.logger.info(`image import: ${formatImportResult(r)}`);
    else opts.logger.warn(`image import: ${formatImportResult(r)}`);
  });
}
