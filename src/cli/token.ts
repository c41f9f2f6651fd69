import { get as httpsGet } from 'node:https';
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { Client, R } from '../client/client.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  DEFAULT_BOOTSTRAP_TOKEN_GROUPS,
  TOKEN_PREFIX,
  bootstrapTokenFromSecret,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  caBundleHash,
  generateBootstrapToken,
  isBootstrapTokenId,
  parseBootstrapToken,
  validateBootstrapTokenOptions,
  type BootstrapToken,
} from '../pki/agent.js';
import { parseDuration } from './duration.js';
import { formatHelp, parseFlags, UsageError, type FlagSpec, type FlagValues } from './flags.js';
import { kubeconfigTransport, readKubeconfig, type KubeconfigCredentials } from './kubeconfig_client.js';
import { TOKEN_LIST_HEADER, formatTable, tokenListRow } from './token_format.js';

const kubeconfigFlag: FlagSpec = { name: 'kubeconfig', kind: 'string', default: '/etc/skiff/skiff.yaml', env: 'KUBECONFIG', help: 'Kubeconfig of the server to manage tokens on' };

const commands: Record<string, { help: string; args: string; flags: FlagSpec[] }> = {
  create: {
    help: 'Create bootstrap tokens on the server',
    args: '[token]',
    flags: [
      kubeconfigFlag,
      { name: 'description', kind: 'string', default: '', help: 'A human friendly description of how this token is used' },
      { name: 'groups', kind: 'list', default: DEFAULT_BOOTSTRAP_TOKEN_GROUPS, help: 'Extra groups that this token will authenticate as when used for authentication' },
      { name: 'ttl', kind: 'string', default: '24h', help: "The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to '0', the token will never expire" },
      { name: 'usages', kind: 'list', default: ['signing', 'authentication'], help: 'Describes the ways in which this token can be used' },
    ],
  },
  delete: { help: 'Delete bootstrap tokens on the server', args: 'TOKEN_ID|TOKEN [...]', flags: [kubeconfigFlag] },
  generate: { help: 'Generate and print a bootstrap token, but do not create it on the server', args: '', flags: [] },
  list: { help: 'List bootstrap tokens on the server', args: '', flags: [kubeconfigFlag, { name: 'output', alias: 'o', kind: 'string', default: 'text', help: 'Output format: text, json or yaml' }] },
};

const usage = `skiff token - manage bootstrap tokens

USAGE:
   skiff token COMMAND [flags]

COMMANDS:
${Object.entries(commands).map(([n, c]) => `   ${n.padEnd(10)} ${c.help}`).join('\n')}

Run 'skiff token COMMAND --help' for a command's flags.`;

/** fetchCABundle reads the server's /cacerts (verified with the kubeconfig's CA): the bytes a full token's K10 hash covers. */
function fetchCABundle(c: KubeconfigCredentials): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(new URL('/cacerts', c.server), { ca: c.caPem, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new UsageError(`GET ${c.server}/cacerts answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', (e) => reject(new UsageError(`cannot reach the server at ${c.server}: ${e.message} (is 'skiff server' running? --kubeconfig picks another)`)));
  });
}

/** apiCall runs one API call, turning Status errors and unreachable servers into UsageErrors (one clear line). */
async function apiCall<T>(server: string, what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isStatusError(e)) throw new UsageError(`${what}: ${e.message}`);
    throw new UsageError(`${what}: cannot reach the server at ${server}: ${(e as Error).message}`);
  }
}

async function create(v: FlagValues, args: string[]): Promise<void> {
  if (args.length > 1) throw new UsageError(`unexpected argument ${args[1]}`);
  const given = args[0] ?? generateBootstrapToken();
  const parts = parseBootstrapToken(given);
  if (!parts) throw new UsageError(`the bootstrap token ${JSON.stringify(given)} was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"`);
  const ttlMs = parseDuration(String(v.ttl), 'ttl');
  const usages = v.usages as string[];
  const groups = v.groups as string[];
  const errs = validateBootstrapTokenOptions(usages, groups);
  if (errs.length) throw new UsageError(errs.join('; '));
  // Extra groups only mean something to authentication (kubeadm refuses them otherwise).
  if (groups.length && !usages.includes('authentication')) throw new UsageError(`token groups ${groups.join(',')} cannot be assigned unless usage "authentication" is enabled`);
  const token: BootstrapToken = { ...parts, usages, groups, description: String(v.description ?? '') };
  if (ttlMs > 0) token.expiresAt = Date.now() + ttlMs;
  const kc = await readKubeconfig(String(v.kubeconfig));
  const transport = kubeconfigTransport(kc);
  try {
    await apiCall(kc.server, `cannot create bootstrap token ${parts.id}`, () => new Client(transport).resource(R.secrets).create(BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecret(token) as KubeObject));
  } finally {
    transport.close();
  }
  // The full form lets an agent verify the server's CA before it sends the token (k3s prints the same).
  const caHash = await fetchCABundle(kc).then(caBundleHash, () => undefined);
  console.log(caHash ? `${TOKEN_PREFIX}${caHash}::${given}` : given);
}

async function list(v: FlagValues): Promise<void> {
  const kc = await readKubeconfig(String(v.kubeconfig));
  const transport = kubeconfigTransport(kc);
  let items: KubeObject[];
  try {
    const secrets = new Client(transport).resource(R.secrets);
    items = (await apiCall(kc.server, 'cannot list bootstrap tokens', () => secrets.list(BOOTSTRAP_TOKEN_NAMESPACE, { fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}` }))).items;
  } finally {
    transport.close();
  }
  const tokens = items.map(bootstrapTokenFromSecret).filter((t): t is BootstrapToken => t !== undefined);
  const format = String(v.output).toLowerCase();
  if (format === 'json' || format === 'yaml') {
    const out = tokens.map((t) => ({ token: `${t.id}.${t.secret}`, ...(t.expiresAt !== undefined ? { expires: new Date(t.expiresAt).toISOString() } : {}), usages: t.usages, description: t.description, groups: t.groups }));
    console.log(format === 'json' ? JSON.stringify(out, null, 2) : (await import('yaml')).stringify(out));
    return;
  }
  if (format !== 'text') throw new UsageError(`invalid --output ${JSON.stringify(v.output)}: want text, json or yaml`);
  if (tokens.length === 0) return;
  const now = Date.now();
  console.log(formatTable([TOKEN_LIST_HEADER, ...tokens.map((t) => tokenListRow(t, now))]));
}

async function remove(v: FlagValues, args: string[]): Promise<void> {
  if (args.length === 0) throw new UsageError('missing argument; \'skiff token delete\' is missing a bootstrap token ID or token');
  const ids = args.map((a) => {
    const id = parseBootstrapToken(a)?.id ?? (isBootstrapTokenId(a) ? a : undefined);
    if (!id) throw new UsageError(`given token ${JSON.stringify(a)} didn't match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}.[a-z0-9]{16}"`);
    return id;
  });
  const kc = await readKubeconfig(String(v.kubeconfig));
  const transport = kubeconfigTransport(kc);
  try {
    const secrets = new Client(transport).resource(R.secrets);
    for (const id of ids) {
      await apiCall(kc.server, `cannot delete bootstrap token ${id}`, () => secrets.delete(BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(id)));
      console.log(`bootstrap token "${id}" deleted`);
    }
  } finally {
    transport.close();
  }
}

/** runToken runs `skiff token create|delete|generate|list` (k3s token, kubeadm token); returns the exit code. */
export async function runToken(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(usage);
    return cmd === undefined ? 1 : 0;
  }
  const spec = commands[cmd];
  if (!spec) throw new UsageError(`unknown token command ${JSON.stringify(cmd)}; run 'skiff token --help' for the list`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`skiff token ${cmd} - ${spec.help}\n\nUSAGE:\n   skiff token ${cmd} [flags] ${spec.args}\n\nFLAGS:\n${formatHelp(spec.flags)}`);
    return 0;
  }
  const { values, args } = parseFlags(spec.flags, rest);
  switch (cmd) {
    case 'create':
      await create(values, args);
      break;
    case 'list':
      if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
      await list(values);
      break;
    case 'delete':
      await remove(values, args);
      break;
    default:
      if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
      console.log(generateBootstrapToken());
  }
  return 0;
}
