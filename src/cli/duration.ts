import { UsageError } from './flags.js';

/** parseDuration reads Go-style durations ("40s", "5m", "1h30m", "250ms", or bare seconds) into milliseconds. */
export function parseDuration(s: string, flag: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    consumed += m[0].length;
  }
  if (consumed !== s.length || s.length === 0) throw new UsageError(`invalid duration ${JSON.stringify(s)} for --${flag}: use e.g. 40s, 5m, 1h`);
  return total;
}
