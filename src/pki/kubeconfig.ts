import { stringify } from 'yaml';
import { writeFileAtomic } from './files.js';

/** KubeconfigOptions describe a single-cluster kubeconfig with embedded credentials. */
export interface KubeconfigOptions {
  /** server is the API URL, e.g. https://127.0.0.1:6443. */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** name of the cluster, context and user; default "default" (as k3s.yaml). */
  name?: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/**
 * buildKubeconfig returns kubeconfig YAML shaped as k3s writes k3s.yaml: one cluster, context and
 * user, all named `name`, current-context set to it, CA and client credentials embedded as base64
 * `*-data` fields.
 */
export function buildKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'default';
  const doc = {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(opts.caPem), server: opts.server }, name }],
    contexts: [{ context: { cluster: name, user: name }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name, user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) } }],
  };
  // lineWidth 0: never fold the long base64 strings; indentSeq false: Go's YAML layout ("- cluster:" at column 0).
  return stringify(doc, { lineWidth: 0, indentSeq: false });
}

/** parseFileMode parses an octal mode such as "0644", "644" or "0o600" (or passes a number through); throws if invalid. */
export function parseFileMode(mode: string | number): number {
  if (typeof mode === 'number') {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`invalid file mode ${mode}`);
    return mode;
  }
  const m = /^(?:0o?)?([0-7]{1,4})$/i.exec(mode.trim());
  if (!m?.[1]) throw new Error(`invalid file mode ${JSON.stringify(mode)}: want octal like "0600" or "0644"`);
  return parseInt(m[1], 8);
}

/**
 * writeKubeconfig writes text to path atomically (temp file + rename), creating the parent
 * directory, with exactly the given mode (a number or an octal string like "0644"; default 0600).
 */
export async function writeKubeconfig(path: string, text: string, mode: string | number = 0o600): Promise<void> {
  await writeFileAtomic(path, text, parseFileMode(mode));
}
