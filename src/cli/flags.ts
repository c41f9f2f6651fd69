import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** FlagSpec declares one command-line flag, k3s style (`--name value`, `--name=value`, repeatable lists). */
export interface FlagSpec {
  name: string;
  alias?: string;
  kind: 'string' | 'bool' | 'int' | 'list';
  default?: string | boolean | number | string[];
  env?: string;
  help: string;
  /** hidden flags are accepted but not listed in --help. */
  hidden?: boolean;
}

/** FlagValues holds parsed values by flag name. */
export type FlagValues = Record<string, string | boolean | number | string[] | undefined>;

/** UsageError is a command-line mistake; the CLI prints it with a hint and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function coerce(spec: FlagSpec, raw: unknown, source: string): string | boolean | number | string[] {
  switch (spec.kind) {
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === '') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new UsageError(`invalid value ${JSON.stringify(raw)} for --${spec.name} (${source}): want true or false`);
    case 'int': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isInteger(n)) throw new UsageError(`invalid value ${JSON.stringify(raw)} for --${spec.name} (${source}): want a whole number`);
      return n;
    }
    case 'list':
      if (Array.isArray(raw)) return raw.map(String);
      return String(raw).split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return String(raw);
  }
}

/**
 * parseFlags reads flags from, in rising precedence: defaults, the config file (`--config`, YAML
 * with flag names as keys, as k3s's config.yaml), environment variables, and argv.
 * Returns the values and the positional arguments.
 */
export function parseFlags(specs: FlagSpec[], argv: string[], env: NodeJS.ProcessEnv = process.env, defaultConfig?: string): { values: FlagValues; args: string[] } {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.alias) byName.set(s.alias, s);
  }
  const fromArgv: FlagValues = {};
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown flag: ${a} (see --help)`);
    let raw: string | boolean;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (spec.kind === 'bool') raw = true;
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`flag --${spec.name} needs a value`);
      raw = next;
      i++;
    }
    const v = coerce(spec, raw, 'command line');
    const prev = fromArgv[spec.name];
    fromArgv[spec.name] = spec.kind === 'list' && Array.isArray(prev) ? [...prev, ...(v as string[])] : v;
  }
  const values: FlagValues = {};
  for (const s of specs) if (s.default !== undefined) values[s.name] = s.default;
  const configPath = (fromArgv.config as string | undefined) ?? env.SKIFF_CONFIG_FILE ?? defaultConfig;
  if (configPath && byName.has('config')) {
    const explicit = fromArgv.config !== undefined;
    if (existsSync(configPath)) Object.assign(values, readConfigFile(configPath, byName));
    else if (explicit) throw new UsageError(`config file ${configPath} does not exist`);
  }
  for (const s of specs) {
    const e = s.env ? env[s.env] : undefined;
    if (e !== undefined && e !== '') values[s.name] = coerce(s, e, `$${s.env}`);
  }
  Object.assign(values, fromArgv);
  return { values, args };
}

function readConfigFile(path: string, byName: Map<string, FlagSpec>): FlagValues {
  let doc: unknown;
  try {
    // yaml loads only when a config file exists: most agent processes never need it.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read config file ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`config file ${path} must be a YAML mapping of flag names to values`);
  const out: FlagValues = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const spec = byName.get(k);
    if (!spec) throw new UsageError(`unknown key ${JSON.stringify(k)} in config file ${path}`);
    out[spec.name] = coerce(spec, v, path);
  }
  return out;
}

/** formatHelp renders the flag list for --help. */
export function formatHelp(specs: FlagSpec[]): string {
  const shown = specs.filter((s) => !s.hidden);
  const names = shown.map((s) => `--${s.name}${s.alias ? `, -${s.alias}` : ''}${s.kind === 'bool' ? '' : ' value'}`);
  // One column for every description, as wide as the longest flag (urfave/cli's layout, as k3s prints).
  const width = Math.max(40, ...names.map((n) => n.length));
  const rows = shown.map((s, i) => {
    const def = s.default !== undefined && s.default !== '' && s.default !== false ? ` (default: ${Array.isArray(s.default) ? s.default.join(',') : String(s.default)})` : '';
    const env = s.env ? ` [$${s.env}]` : '';
    return `   ${names[i]!.padEnd(width)} ${s.help}${def}${env}`;
  });
  return rows.join('\n');
}
