import { readFile } from 'node:fs/promises';

/** RegistryAuth is a registry's credentials (k3s registries.yaml `configs.<host>.auth`). */
export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  identityToken?: string;
}

/** RegistryTLS is a registry's TLS settings (k3s registries.yaml `configs.<host>.tls`). */
export interface RegistryTLS {
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  insecureSkipVerify?: boolean;
}

/**
 * RegistriesConfig is /etc/skiff/registries.yaml in k3s's format: `mirrors.<registry>.endpoint[]`
 * lists the URLs tried (in order, then the registry itself) for images of <registry> (`*` = every
 * registry); `configs.<host>` holds auth and TLS for a registry or mirror host.
 */
export interface RegistriesConfig {
  mirrors: Record<string, { endpoint: string[] }>;
  configs: Record<string, { auth?: RegistryAuth; tls?: RegistryTLS }>;
}

/** defaultRegistriesPath is where the agent looks for the registries file. */
export const defaultRegistriesPath = '/etc/skiff/registries.yaml';

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function optStr<K extends string>(o: Record<string, unknown>, yamlKey: string, key: K): { [P in K]?: string } {
  const v = o[yamlKey];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'string') throw new Error(`${yamlKey} must be a string`);
  return { [key]: v } as { [P in K]?: string };
}

function parseAuth(v: unknown): RegistryAuth {
  const o = rec(v);
  return { ...optStr(o, 'username', 'username'), ...optStr(o, 'password', 'password'), ...optStr(o, 'auth', 'auth'), ...optStr(o, 'identity_token', 'identityToken') };
}

function parseTLS(v: unknown): RegistryTLS {
  const o = rec(v);
  const tls: RegistryTLS = { ...optStr(o, 'cert_file', 'certFile'), ...optStr(o, 'key_file', 'keyFile'), ...optStr(o, 'ca_file', 'caFile') };
  if (o['insecure_skip_verify'] !== undefined) tls.insecureSkipVerify = o['insecure_skip_verify'] === true;
  return tls;
}

/**
 * parseRegistriesYaml reads registries.yaml text; it rejects naming the bad field. Empty text is
 * an empty config. The yaml package is loaded here, on first use: most nodes have no registries
 * file, and an agent should not carry the parser (~4 MB) for nothing.
 */
export async function parseRegistriesYaml(text: string): Promise<RegistriesConfig> {
  const { parse } = await import('yaml');
  const doc = rec(parse(text));
  const cfg: RegistriesConfig = { mirrors: {}, configs: {} };
  for (const [name, m] of Object.entries(rec(doc['mirrors']))) {
    const ep = rec(m)['endpoint'];
    if (ep !== undefined && !(Array.isArray(ep) && ep.every((e) => typeof e === 'string'))) {
      throw new Error(`mirrors.${name}.endpoint must be a list of URLs`);
    }
    cfg.mirrors[name] = { endpoint: (ep as string[] | undefined) ?? [] };
  }
  for (const [host, c] of Object.entries(rec(doc['configs']))) {
    const o = rec(c);
    try {
      cfg.configs[host] = {
        ...(o['auth'] !== undefined ? { auth: parseAuth(o['auth']) } : {}),
        ...(o['tls'] !== undefined ? { tls: parseTLS(o['tls']) } : {}),
      };
    } catch (e) {
      throw new Error(`configs.${host}: ${(e as Error).message}`);
    }
  }
  return cfg;
}

/** loadRegistries reads a registries file; a missing file is an empty config (and loads no YAML parser). */
export async function loadRegistries(path = defaultRegistriesPath): Promise<RegistriesConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { mirrors: {}, configs: {} };
    throw e;
  }
  try {
    return await parseRegistriesYaml(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** endpointURL normalizes a mirror endpoint: no scheme means https. */
function endpointURL(ep: string): URL {
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(ep) ? ep : `https://${ep}`);
}

/** defaultServer is the upstream URL of a registry (docker.io's real host is registry-1.docker.io). */
function defaultServer(registry: string): string {
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

function q(s: string): string {
  return JSON.stringify(s); // JSON string escapes are valid TOML basic-string escapes
}

function tlsLines(tls: RegistryTLS | undefined): string[] {
  if (!tls) return [];
  const lines: string[] = [];
  if (tls.caFile) lines.push(`  ca = ${q(tls.caFile)}`);
  if (tls.certFile && tls.keyFile) lines.push(`  client = [[${q(tls.certFile)}, ${q(tls.keyFile)}]]`);
  if (tls.insecureSkipVerify) lines.push('  skip_verify = true');
  return lines;
}

/**
 * hostsTomlFiles renders containerd's registry host files (the CRI `config_path` layout): one
 * `<dir>/hosts.toml` per registry that has mirrors or TLS settings, keyed by dir name (`*` becomes
 * `_default`). Mirrors come first, in order; the registry itself stays the fallback `server`.
 */
export function hostsTomlFiles(cfg: RegistriesConfig): Map<string, string> {
  const files = new Map<string, string>();
  const names = new Set([...Object.keys(cfg.mirrors), ...Object.keys(cfg.configs).filter((h) => cfg.configs[h]?.tls)]);
  for (const name of [...names].sort()) {
    const lines: string[] = [];
    if (name !== '*') lines.push(`server = ${q(defaultServer(name))}`);
    for (const ep of cfg.mirrors[name]?.endpoint ?? []) {
      const url = endpointURL(ep);
      lines.push('', `[host.${q(url.href.replace(/\/$/, ''))}]`, '  capabilities = ["pull", "resolve"]', ...tlsLines(cfg.configs[url.host]?.tls));
    }
    const ownTLS = name === '*' ? [] : tlsLines(cfg.configs[name]?.tls);
    if (ownTLS.length) lines.push('', `[host.${q(defaultServer(name))}]`, '  capabilities = ["pull", "resolve", "push"]', ...ownTLS);
    files.set(name === '*' ? '_default' : name, lines.join('\n').trimStart() + '\n');
  }
  return files;
}

/** authTomlSection renders CRI `registry.configs."<host>".auth` tables for hosts with credentials. */
export function authTomlSection(cfg: RegistriesConfig, prefix: string): string {
  const out: string[] = [];
  for (const host of Object.keys(cfg.configs).sort()) {
    const auth = cfg.configs[host]?.auth;
    if (!auth) continue;
    out.push(`[${prefix}.configs.${q(host)}.auth]`);
    if (auth.username !== undefined) out.push(`  username = ${q(auth.username)}`);
    if (auth.password !== undefined) out.push(`  password = ${q(auth.password)}`);
    if (auth.auth !== undefined) out.push(`  auth = ${q(auth.auth)}`);
    if (auth.identityToken !== undefined) out.push(`  identitytoken = ${q(auth.identityToken)}`);
    out.push('');
  }
  return out.join('\n');
}
