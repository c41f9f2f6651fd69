import { open, type FileHandle } from 'node:fs/promises';
import type { Clock } from '../../lib/clock.js';
import { sleep } from '../../lib/sleep.js';
import { CriLogFormatter, parseCriLogLine, type LogOutputOptions } from './cri_log.js';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/** ReadLogOptions configure readCriLog. */
export interface ReadLogOptions extends LogOutputOptions {
  /** tailLines starts at the file's last N lines (all when undefined). */
  tailLines?: number;
  /** follow keeps reading what the container writes until the signal aborts or stillCurrent says no. */
  follow: boolean;
  signal: AbortSignal;
  clock: Clock;
  /** pollMs is how often a followed file is checked for new data (default 250). */
  pollMs?: number;
  /** checkMs is how often a followed, idle file asks stillCurrent (default 1000). */
  checkMs?: number;
  /** stillCurrent tells whether the container may still write to this file (running, not replaced). */
  stillCurrent?: () => Promise<boolean>;
}

/** LogSink writes one chunk of output; it resolves when the consumer can take more (backpressure). */
export type LogSink = (chunk: Buffer) => Promise<void>;

/** tailStart finds the offset of the file's last n lines (a final newline ends the last line). */
export async function tailStart(f: FileHandle, size: number, n: number): Promise<number> {
  if (n <= 0) return size;
  let pos = size;
  let count = 0;
  const buf = Buffer.alloc(CHUNK);
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    await f.read(buf, 0, len, pos);
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== NEWLINE || pos + i === size - 1) continue;
      if (++count === n) return pos + i + 1;
    }
  }
  return 0;
}

/**
 * readCriLog streams a CRI log file to sink as the kubelet's containerLogs does: from the start (or
 * the last tailLines lines), filtered and formatted by opts; with follow it then waits for new
 * lines until the signal aborts, the byte limit is reached, or stillCurrent answers false and the
 * file has nothing more. A final line without newline is written only when not following.
 */
export async function readCriLog(path: string, sink: LogSink, opts: ReadLogOptions): Promise<void> {
  const f = await open(path, 'r');
  try {
    const fmt = new CriLogFormatter(opts);
    const size = (await f.stat()).size;
    let pos = opts.tailLines === undefined ? 0 : await tailStart(f, size, opts.tailLines);
    let rest: Buffer = Buffer.alloc(0);
    const buf = Buffer.alloc(CHUNK);
    let idleMs = 0;
    for (;;) {
      if (opts.signal.aborted || fmt.done) return;
      const { bytesRead } = await f.read(buf, 0, CHUNK, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        idleMs = 0;
        rest = await writeLines(Buffer.concat([rest, buf.subarray(0, bytesRead)]), fmt, sink);
        continue;
      }
      if (!opts.follow) break;
      const pollMs = opts.pollMs ?? 250;
      idleMs += pollMs;
      if (opts.stillCurrent && idleMs >= (opts.checkMs ?? 1000)) {
        idleMs = 0;
        if (!(await opts.stillCurrent())) {
          // One last read catches what the container wrote just before it stopped.
          const last = await f.read(buf, 0, CHUNK, pos);
          if (last.bytesRead === 0) break;
          pos += last.bytesRead;
          rest = await writeLines(Buffer.concat([rest, buf.subarray(0, last.bytesRead)]), fmt, sink);
          continue;
        }
      }
      await sleep(opts.clock, pollMs, opts.signal);
    }
    if (rest.length > 0 && !opts.follow) await writeEntry(rest, fmt, sink);
  } finally {
    await f.close();
  }
}

/** writeLines writes every complete line of data and returns the unfinished remainder. */
async function writeLines(data: Buffer, fmt: CriLogFormatter, sink: LogSink): Promise<Buffer> {
  let start = 0;
  for (let nl = data.indexOf(NEWLINE); nl >= 0 && !fmt.done; nl = data.indexOf(NEWLINE, start)) {
    await writeEntry(data.subarray(start, nl), fmt, sink);
    start = nl + 1;
  }
  return Buffer.from(data.subarray(start));
}

async function writeEntry(line: Buffer, fmt: CriLogFormatter, sink: LogSink): Promise<void> {
  const e = parseCriLogLine(line);
  if (!e) return;
  const out = fmt.format(e);
  if (out.length > 0) await sink(out);
}
