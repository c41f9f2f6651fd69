/** The Prometheus text exposition format (0.0.4) as Go's client library writes it. */

/** PROM_TEXT_CONTENT_TYPE is the Content-Type of the text format. */
export const PROM_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * goFloat formats a sample value as Go's strconv.FormatFloat(v, 'g', -1, 64) (what expfmt
 * writes): shortest digits, exponent form when the exponent is below -4 or at least 6, with at
 * least two exponent digits (`1.6777216e+07`, `357.35491`, `1e-05`).
 */
export function goFloat(v: number): string {
  const a = Math.abs(v);
  // Fast path, most values: plain decimal form, which JS and Go spell alike in this range.
  if (a >= 1e-4 && a < 1e6) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0';
  const [mant = '', ex = ''] = v.toExponential().split('e');
  const exp = Number(ex);
  return `${mant}e${exp < 0 ? '-' : '+'}${exp > -10 && exp < 10 ? '0' : ''}${Math.abs(exp)}`;
}

/** escapeLabel escapes a label value (backslash, double quote, newline). */
export function escapeLabel(v: string): string {
  if (!/[\\"\n]/.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Sample is one line of a metric family: its labels, value and optional timestamp (ms). */
export interface Sample {
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** MetricFamily is one metric's HELP, TYPE and samples. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Sample[];
}

/**
 * renderFamilies writes families sorted by name, labels sorted by name, as Go's expfmt does;
 * families without samples are left out. Every sample of a family has the same label names.
 */
export function renderFamilies(families: MetricFamily[]): string {
  let out = '';
  for (const f of [...families].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const first = f.samples[0];
    if (!first) continue;
    out += `# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${f.name} ${f.type}\n`;
    const names = Object.keys(first.labels).sort();
    for (const s of f.samples) {
      let line = f.name;
      for (let i = 0; i < names.length; i++) {
        const n = names[i] ?? '';
        line += `${i === 0 ? '{' : ','}${n}="${escapeLabel(s.labels[n] ?? '')}"`;
      }
      if (names.length) line += '}';
      line += ` ${goFloat(s.value)}`;
      if (s.timestampMs !== undefined) line += ` ${Math.round(s.timestampMs)}`;
      out += `${line}\n`;
    }
  }
  return out;
}

/** parsePromText reads the text format back (HELP, TYPE, samples with labels and timestamps); it is what scrapers and tests use. */
export function parsePromText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: '', type: 'gauge', samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2] ?? '');
      if (meta[1] === 'HELP') f.help = (meta[3] ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else f.type = meta[3] === 'counter' ? 'counter' : 'gauge';
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    for (const l of (m[3] ?? '').matchAll(labelRe)) labels[l[1] ?? ''] = (l[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const raw = m[4] ?? '';
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    family(m[1] ?? '').samples.push({ labels, value, ...(m[5] !== undefined ? { timestampMs: Number(m[5]) } : {}) });
  }
  return families;
}
