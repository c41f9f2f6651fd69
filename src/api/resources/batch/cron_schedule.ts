/**
 * Cron schedules as CronJob validation parses them (robfig/cron v3 ParseStandard): five fields
 * (minute hour day-of-month month day-of-week) with `*`, `?`, lists, ranges, steps and month /
 * weekday names, the descriptors `@yearly`…`@hourly` and `@every <duration>`, and an optional
 * `TZ=` / `CRON_TZ=` prefix. Error texts match the Go parser's.
 */

/** CronFields holds the allowed values of each field; `every` is set for `@every` schedules (ms). */
export interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** domStar / dowStar: the field was `*` or `?` (cron's day-matching rule depends on it). */
  domStar: boolean;
  dowStar: boolean;
  timeZone?: string;
  everyMs?: number;
}

/** CronParseResult is a parsed schedule or the parser's error message. */
export type CronParseResult = { schedule: CronFields } | { error: string };

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const BOUNDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DOW_NAMES },
];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

class CronError extends Error {}

/** isKnownTimeZone tells whether the runtime's time zone database knows name (Go's time.LoadLocation). */
export function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number.parseInt(expr, 10);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** parseRange parses one comma-separated element (a star, `5`, `1-5`, a stepped star, `mon-fri/2`) into values; returns whether it was a star. */
function parseRange(expr: string, b: Bounds, out: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? '', b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', b);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? '');
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) out.add(v);
  return star;
}

function parseField(text: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of text.split(',').filter((e) => e !== '')) star = parseRange(expr, b, values) || star;
  return { values, star };
}

function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  if (s === '' || matched !== s.length) throw new CronError(`time: invalid duration ${JSON.stringify(s)}`);
  return total;
}

function parseFields(spec: string): CronFields {
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const parsed = fields.map((f, i) => parseField(f, BOUNDS[i] ?? { min: 0, max: 0 }));
  const at = (i: number) => parsed[i] ?? { values: new Set<number>(), star: false };
  return {
    minutes: at(0).values,
    hours: at(1).values,
    daysOfMonth: at(2).values,
    months: at(3).values,
    daysOfWeek: at(4).values,
    domStar: at(2).star,
    dowStar: at(4).star,
  };
}

function parseDescriptor(spec: string): CronFields {
  const fixed = DESCRIPTORS[spec];
  if (fixed) return parseFields(fixed);
  if (spec.startsWith('@every ')) {
    const d = spec.slice('@every '.length);
    let ms: number;
    try {
      ms = parseDuration(d);
    } catch (e) {
      throw new CronError(`failed to parse duration ${spec}: ${(e as Error).message}`);
    }
    return { ...parseFields('* * * * *'), everyMs: ms };
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

/** parseCronSchedule parses a CronJob schedule, returning the fields or the Go parser's error text. */
export function parseCronSchedule(input: string): CronParseResult {
  try {
    if (input.length === 0) throw new CronError('empty spec string');
    let spec = input;
    let timeZone: string | undefined;
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const eq = spec.indexOf('=');
      const sp = spec.indexOf(' ');
      timeZone = sp < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, sp);
      if (!isKnownTimeZone(timeZone)) throw new CronError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
      spec = sp < 0 ? '' : spec.slice(sp).trim();
    }
    const fields = spec.startsWith('@') ? parseDescriptor(spec) : parseFields(spec);
    if (timeZone !== undefined) fields.timeZone = timeZone;
    return { schedule: fields };
  } catch (e) {
    if (e instanceof CronError) return { error: e.message };
    throw e;
  }
}
