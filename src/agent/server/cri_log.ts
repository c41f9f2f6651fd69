/**
 * The CRI container log format (what containerd writes, one entry a line):
 * `2024-01-02T03:04:05.123456789Z stdout F text`: an RFC 3339 timestamp, the stream, tags (`F`
 * full line, `P` partial: the line continues in the next entry), the content.
 */

/** CriLogEntry is one parsed log line. */
export interface CriLogEntry {
  /** timestamp is the entry's time as written (RFC 3339 with up to nanoseconds). */
  timestamp: string;
  /** timeMs is the timestamp in milliseconds since the epoch (fraction truncated). */
  timeMs: number;
  stream: 'stdout' | 'stderr';
  /** partial: the container wrote no newline yet; the next entry continues this line. */
  partial: boolean;
  content: Buffer;
}

const SPACE = 0x20;

/** parseCriLogLine parses one line (without its trailing newline); undefined when it is not a CRI log entry. */
export function parseCriLogLine(line: Buffer): CriLogEntry | undefined {
  const a = line.indexOf(SPACE);
  const b = a < 0 ? -1 : line.indexOf(SPACE, a + 1);
  if (a <= 0 || b < 0) return undefined;
  const timestamp = line.subarray(0, a).toString('latin1');
  const timeMs = Date.parse(timestamp);
  const stream = line.subarray(a + 1, b).toString('latin1');
  if (Number.isNaN(timeMs) || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  let c = line.indexOf(SPACE, b + 1);
  // "ts stdout F" with nothing after the tag is an empty line.
  if (c < 0) c = line.length;
  const tags = line.subarray(b + 1, c).toString('latin1').split(':');
  return { timestamp, timeMs, stream, partial: tags.includes('P'), content: line.subarray(Math.min(c + 1, line.length)) };
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** formatTimestamp writes a timestamp with exactly nine fraction digits, as the kubelet prints `--timestamps`. */
export function formatTimestamp(ts: string): string {
  const m = RFC3339.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}`;
}

/** LogOutputOptions select and shape what a log read writes (the kubelet's PodLogOptions after parsing). */
export interface LogOutputOptions {
  timestamps: boolean;
  /** sinceMs drops entries older than this time. */
  sinceMs?: number;
  /** limitBytes stops the output after this many bytes. */
  limitBytes?: number;
}

/**
 * CriLogFormatter turns entries into the bytes the kubelet sends: the content, a newline after full
 * lines, a timestamp before each line when asked, truncated at limitBytes (then `done` is set).
 */
export class CriLogFormatter {
  private atLineStart = true;
  private written = 0;
  /** done: the byte limit is reached; nothing more is written. */
  done = false;

  constructor(private readonly opts: LogOutputOptions) {}

  /** format returns the bytes to write for one entry (empty when it is filtered out). */
  format(e: CriLogEntry): Buffer {
    if (this.done) return Buffer.alloc(0);
    if (this.opts.sinceMs !== undefined && e.timeMs < this.opts.sinceMs) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    if (this.opts.timestamps && this.atLineStart) parts.push(Buffer.from(`${formatTimestamp(e.timestamp)} `));
    parts.push(e.content);
    if (!e.partial) parts.push(Buffer.from('\n'));
    this.atLineStart = !e.partial;
    let out = Buffer.concat(parts);
    const limit = this.opts.limitBytes;
    if (limit !== undefined) {
      if (this.written + out.length >= limit) {
        out = out.subarray(0, limit - this.written);
        this.done = true;
      }
      this.written += out.length;
    }
    return out;
  }
}
