/** Logger writes structured, leveled lines; components receive one instead of using console. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** child returns a logger whose lines carry the component name. */
  child(component: string): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** createLogger returns a logger writing `time level [component] msg k=v` lines to a stream. */
export function createLogger(
  opts: { level?: LogLevel; component?: string; write?: (line: string) => void } = {},
): Logger {
  const min = order[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const prefix = opts.component ? `[${opts.component}] ` : '';
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (order[level] < min) return;
    let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${prefix}${msg}`;
    for (const [k, v] of Object.entries(fields ?? {})) {
      line += ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
    }
    write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (component) =>
      createLogger({ level: opts.level ?? 'info', component: opts.component ? `${opts.component}/${component}` : component, write }),
  };
}

/** silentLogger drops everything; for tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
