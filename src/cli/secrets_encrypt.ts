import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { parseToken, verifyCAHash } from '../pki/index.js';
import { ENCRYPT_CONFIG_PATH, ENCRYPT_STATUS_PATH, STAGE, type EncryptionRequest, type EncryptionState } from '../apiserver/encryption/protocol.js';
import { formatHelp, parseFlags, UsageError, type FlagSpec, type FlagValues } from './flags.js';

const commonFlags: FlagSpec[] = [
  { name: 'data-dir', alias: 'd', kind: 'string', default: '/var/lib/skiff', env: 'SKIFF_DATA_DIR', help: 'Folder to hold state (its server/token authenticates the command)' },
  { name: 'token', alias: 't', kind: 'string', default: '', env: 'SKIFF_TOKEN', help: 'Server token (default: <data-dir>/server/token)' },
  { name: 'server', alias: 's', kind: 'string', default: 'https://127.0.0.1:6443', env: 'SKIFF_URL', help: 'Server to talk to' },
];
const forceFlag: FlagSpec = { name: 'force', alias: 'f', kind: 'bool', default: false, help: 'Force this stage.' };

const commands: Record<string, { help: string; flags: FlagSpec[] }> = {
  status: { help: 'Print current status of secrets encryption', flags: [...commonFlags, { name: 'output', alias: 'o', kind: 'string', default: 'text', help: 'Status format: text or json' }] },
  enable: { help: 'Enable secrets encryption (Secrets are rewritten encrypted)', flags: commonFlags },
  disable: { help: 'Disable secrets encryption (Secrets are rewritten in plaintext; keys are kept)', flags: commonFlags },
  prepare: { help: 'Prepare for encryption keys rotation: add a key that reads', flags: [...commonFlags, forceFlag] },
  rotate: { help: 'Rotate secrets encryption keys: the prepared key writes', flags: [...commonFlags, forceFlag] },
  reencrypt: { help: 'Reencrypt all Secrets with the active key, then remove the last key', flags: [...commonFlags, forceFlag, { name: 'skip', kind: 'bool', default: false, help: 'Skip removing old key' }] },
  'rotate-keys': { help: 'Add a new key that writes, reencrypt all Secrets, then remove the old key', flags: commonFlags },
};

const usage = `skiff secrets-encrypt - control secrets encryption and keys rotation

USAGE:
   skiff secrets-encrypt COMMAND [flags]

COMMANDS:
${Object.entries(commands).map(([n, c]) => `   ${n.padEnd(12)} ${c.help}`).join('\n')}

Run 'skiff secrets-encrypt COMMAND --help' for a command's flags.`;

/** Server is where and how the command talks to the running server. */
interface Server {
  url: string;
  caPem: string;
  authorization: string;
}

function call(s: Server, method: 'GET' | 'PUT', path: string, body?: unknown, timeoutMs = 70_000): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: s.authorization, Accept: 'application/json' };
    if (payload !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) });
    // No CA yet: only /cacerts is fetched so, and it is checked against the token's hash.
    const tls = s.caPem ? { ca: s.caPem } : { rejectUnauthorized: false };
    const req = httpsRequest(new URL(path, s.url), { method, headers, ...tls, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${s.url} in ${timeoutMs / 1000} s`)));
    req.on('error', (e) => reject(new UsageError(`cannot reach the server at ${s.url}: ${e.message} (is 'skiff server' running? --server picks another)`)));
    req.end(payload);
  });
}

/** connect reads the token (--token, else <data-dir>/server/token) and pins the server's CA after checking it against the token's hash, as k3s does. */
async function connect(v: FlagValues): Promise<Server> {
  let token = String(v.token || '');
  if (!token) {
    const path = join(String(v['data-dir']), 'server', 'token');
    token = (await readFile(path, 'utf8').catch((e: Error) => {
      throw new UsageError(`cannot read the server token ${path}: ${e.message} (run as root on a server, or pass --token)`);
    })).trim();
  }
  const parsed = parseToken(token);
  const s: Server = { url: String(v.server).replace(/\/+$/, ''), caPem: '', authorization: `Basic ${Buffer.from(`server:${parsed.password}`).toString('base64')}` };
  if (parsed.caHash) {
    const ca = await call(s, 'GET', '/cacerts', undefined, 10_000);
    if (ca.status !== 200 || !verifyCAHash(ca.text, token)) throw new UsageError(`the server at ${s.url} is not the one the token belongs to (its CA does not match the token's hash)`);
    s.caPem = ca.text;
  } else {
    s.caPem = await readFile(join(String(v['data-dir']), 'server', 'tls', 'server-ca.crt'), 'utf8').catch(() => {
      throw new UsageError('a bare token secret cannot verify the server: pass the full K10… token or run where <data-dir>/server/tls/server-ca.crt is');
    });
  }
  return s;
}

function serverError(r: { status: number; text: string }): UsageError {
  let message = r.text;
  try {
    message = (JSON.parse(r.text) as { message?: string }).message ?? r.text;
  } catch {
    // not a Status: show the text
  }
  return new UsageError(`the server refused (${r.status}): ${message}`);
}

async function getStatus(s: Server): Promise<EncryptionState> {
  const r = await call(s, 'GET', ENCRYPT_STATUS_PATH);
  if (r.status !== 200) throw serverError(r);
  return JSON.parse(r.text) as EncryptionState;
}

/** formatStatus prints a status as k3s's `secrets-encrypt status` does. */
export function formatStatus(st: EncryptionState): string {
  if (st.enable === undefined) return 'Encryption Status: Disabled, no configuration file found\n';
  let out = `Encryption Status: ${st.enable ? 'Enabled' : 'Disabled'}\nCurrent Rotation Stage: ${st.stage}\n`;
  out += `Server Encryption Hashes: ${st.hashmatch ? 'All hashes match' : st.hasherror ?? ''}\n`;
  if (st.reencrypt?.running) out += `Reencryption: ${st.reencrypt.done}/${st.reencrypt.total} Secrets\n`;
  if (st.reencrypt?.error) out += `Reencryption Error: ${st.reencrypt.error}\n`;
  const typeOf = (name: string): string => st.keytypes?.[name] ?? 'AES-CBC';
  const rows = [['Active', 'Key Type', 'Name'], ['------', '--------', '----']];
  if (st.activekey) rows.push([' *', typeOf(st.activekey), st.activekey]);
  for (const k of st.inactivekeys ?? []) rows.push(['', typeOf(k), k]);
  // Go's tabwriter, padding 2: every column but the last as wide as its widest cell plus two.
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c]!.length)) + 2);
  return `${out}\n${rows.map((r) => `${r[0]!.padEnd(widths[0]!)}${r[1]!.padEnd(widths[1]!)}${r[2]}`).join('\n')}\n`;
}

/** follow prints a reencryption's progress until it ends, or stops waiting when it makes none for a minute. */
async function follow(s: Server): Promise<number> {
  let last = '';
  let lastChange = Date.now();
  for (;;) {
    const st = await getStatus(s);
    const p = st.reencrypt;
    if (!p) return 0;
    const line = `reencrypted ${p.done}/${p.total} Secrets`;
    if (line !== last && p.total > 0) {
      console.log(line);
      last = line;
      lastChange = Date.now();
    }
    if (!p.running) {
      if (p.error) {
        process.stderr.write(`skiff: reencryption failed: ${p.error}\n`);
        return 1;
      }
      console.log(`reencryption finished (stage ${st.stage})`);
      return 0;
    }
    if (Date.now() - lastChange > 60_000) {
      console.log("reencryption is still running: follow it with 'skiff secrets-encrypt status' or the server log");
      return 0;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function put(s: Server, body: EncryptionRequest): Promise<void> {
  const r = await call(s, 'PUT', ENCRYPT_CONFIG_PATH, body);
  if (r.status !== 200) throw serverError(r);
}

/** runSecretsEncrypt is `skiff secrets-encrypt COMMAND`; returns the exit code. */
export async function runSecretsEncrypt(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(usage);
    return cmd === undefined ? 1 : 0;
  }
  const spec = commands[cmd];
  if (!spec) throw new UsageError(`unknown secrets-encrypt command ${JSON.stringify(cmd)}; run 'skiff secrets-encrypt --help' for the list`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`skiff secrets-encrypt ${cmd} - ${spec.help}\n\nUSAGE:\n   skiff secrets-encrypt ${cmd} [flags]\n\nFLAGS:\n${formatHelp(spec.flags)}`);
    return 0;
  }
  const { values, args } = parseFlags(spec.flags, rest);
  if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
  const s = await connect(values);
  const force = values.force === true;
  switch (cmd) {
    case 'status': {
      const st = await getStatus(s);
      const format = String(values.output).toLowerCase();
      if (format === 'json') console.log(JSON.stringify(st, null, '\t'));
      else if (format === 'text') process.stdout.write(formatStatus(st) + '\n');
      else throw new UsageError(`invalid --output ${JSON.stringify(values.output)}: want text or json`);
      return 0;
    }
    case 'enable':
    case 'disable':
      await put(s, { enable: cmd === 'enable' });
      console.log(`secrets-encryption ${cmd}d`);
      return follow(s);
    case 'prepare':
      await put(s, { stage: STAGE.prepare, force });
      console.log('prepare completed successfully');
      return 0;
    case 'rotate':
      await put(s, { stage: STAGE.rotate, force });
      console.log('rotate completed successfully');
      return 0;
    case 'reencrypt':
      await put(s, { stage: STAGE.reencryptActive, force, skip: values.skip === true });
      console.log('reencryption started');
      return follow(s);
    default:
      await put(s, { stage: STAGE.rotateKeys });
      console.log('keys rotated, reencryption started');
      return follow(s);
  }
}
