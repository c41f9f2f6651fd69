import { join } from 'node:path';
import { DEFAULT_LAB_ROOT, labDown, labExec, labHalt, labPush, labRestart, labStart, labUp, readLabState, registryAvailable, requireRoot } from '../lab/index.js';
import { parseDuration } from './duration.js';
import { formatHelp, parseFlags, UsageError, type FlagSpec, type FlagValues } from './flags.js';

const where: FlagSpec[] = [
  { name: 'name', kind: 'string', default: 'lab', help: 'Lab name (namespaces are <name>-controller, <name>-worker1, …)' },
  { name: 'dir', kind: 'string', default: '', help: `Lab folder (default: ${DEFAULT_LAB_ROOT}/<name>)` },
];

/** labFlags are the flags of each `skiff lab` subcommand. */
export const labFlags: Record<string, FlagSpec[]> = {
  up: [
    ...where,
    { name: 'workers', kind: 'int', default: 2, help: 'Number of worker hosts' },
    { name: 'runtime', kind: 'string', default: 'containerd', help: 'Container runtime of every node: containerd or fake' },
    { name: 'subnet', kind: 'string', default: '10.77.0.0/24', help: 'Lab subnet (controller .10, workers .11…, client .5, registry .6)' },
    { name: 'server-arg', kind: 'list', default: [], help: 'Extra flag for the controller\'s skiff server (repeatable)' },
    { name: 'agent-arg', kind: 'list', default: [], help: 'Extra flag for every worker\'s skiff agent (repeatable)' },
    { name: 'image', kind: 'list', default: [], help: 'Image archive to import on every node at start (repeatable; see scripts/build-images.mjs)' },
    { name: 'registry', kind: 'bool', default: registryAvailable(), help: 'Add a registry host (docker-registry, .6:5000) that every node mirrors docker.io to (default: on when docker-registry is installed; --registry=false for none)' },
    { name: 'timeout', kind: 'string', default: '180s', help: 'How long to wait for every node to be Ready' },
  ],
  push: [...where, { name: 'as', kind: 'string', default: '', help: 'Push under this name instead of the one the archive carries (one archive only)' }],
  down: [...where, { name: 'keep', kind: 'bool', default: false, help: 'Keep the hosts\' data folders and logs' }],
  exec: where,
  halt: where,
  start: where,
  restart: where,
  status: where,
};

const usage = `skiff lab - a multi-node cluster in network namespaces on this machine (needs root)

USAGE:
   skiff lab up [--workers N] [--name lab] [--runtime containerd|fake] [--subnet 10.77.0.0/24]
   skiff lab push ARCHIVE…              push OCI image archives into the lab registry (nodes pull docker.io images from it)
   skiff lab exec HOST -- CMD [ARGS…]   run a command on a host (client has KUBECONFIG set)
   skiff lab halt HOST                  power a host off (kill its processes, link down)
   skiff lab start HOST                 power it back on
   skiff lab restart HOST               restart only the host's skiff process (containers keep running)
   skiff lab status                     list the hosts
   skiff lab down [--keep]              remove the lab

HOSTS: controller, worker1…workerN, client, registry`;

const labDir = (v: FlagValues): string => String(v.dir || '') || join(DEFAULT_LAB_ROOT, String(v.name));
const say = (line: string): void => console.log(line);

/**
 * splitExec separates `exec [flags] HOST [flags] -- CMD…` (everything after `--` is the command)
 * and `exec [flags] HOST CMD…` (without `--`, the command starts right after the host).
 */
function splitExec(argv: string[]): { flags: string[]; host: string; command: string[] } {
  const dash = argv.indexOf('--');
  const head = dash >= 0 ? argv.slice(0, dash) : argv;
  const flags: string[] = [];
  for (let i = 0; i < head.length; i++) {
    const a = head[i]!;
    if (a.startsWith('-')) {
      flags.push(a);
      if (!a.includes('=') && i + 1 < head.length) flags.push(head[++i]!); // --name VALUE / --dir VALUE
      continue;
    }
    if (dash < 0) return { flags, host: a, command: head.slice(i + 1) };
    const extra = head.slice(i + 1);
    if (extra.some((x, j) => !x.startsWith('-') && !(j > 0 && extra[j - 1]!.startsWith('-') && !extra[j - 1]!.includes('=')))) break;
    return { flags: [...flags, ...extra], host: a, command: argv.slice(dash + 1) };
  }
  throw new UsageError('usage: skiff lab exec [--name N | --dir D] HOST -- CMD [ARGS…]');
}

async function status(dir: string): Promise<number> {
  const s = await readLabState(dir);
  console.log(`lab ${s.name} in ${s.dir} (subnet ${s.subnet}, runtime ${s.runtime})`);
  for (const h of s.hosts) console.log(`  ${h.name.padEnd(12)} ${h.ip.padEnd(15)} ${h.netns.padEnd(24)} ${h.halted ? 'halted' : h.argv.length ? `pid ${h.pid ?? '-'}` : ''}`);
  return 0;
}

/**
 * runLab is `skiff lab SUBCOMMAND …`; resolves with the exit code. Lab failures print as one
 * `skiff lab: …` message (they already say what to do), usage mistakes go up to main.
 */
export async function runLab(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    process.stderr.write(`skiff lab: ${(e as Error).message}\n`);
    return 1;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const specs = sub === undefined ? undefined : labFlags[sub];
  if (!specs || rest.includes('--help') || rest.includes('-h')) {
    console.log(specs ? `${usage}\n\nFLAGS of 'skiff lab ${sub}':\n${formatHelp(specs)}` : usage);
    return specs || sub === 'help' || sub === '--help' || sub === '-h' ? 0 : 1;
  }
  if (sub === 'exec') {
    const { flags, host, command } = splitExec(rest);
    const { values } = parseFlags(specs, flags, {});
    const res = await labExec({ dir: labDir(values), host, command, inherit: true });
    return res.code;
  }
  const { values, args } = parseFlags(specs, rest, {});
  if (sub === 'status') return status(labDir(values));
  requireRoot(sub!);
  if (sub === 'up') {
    if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
    const runtime = String(values.runtime);
    if (runtime !== 'containerd' && runtime !== 'fake') throw new UsageError(`invalid --runtime ${JSON.stringify(runtime)}: want containerd or fake`);
    const dir = String(values.dir || '');
    if (values.registry !== true && !registryAvailable()) say('note: no image registry in this lab (apt-get install docker-registry skopeo to get one); images come only from --image archives');
    await labUp({ name: String(values.name), workers: Number(values.workers), runtime, subnet: String(values.subnet), ...(dir ? { dir } : {}), serverArgs: values['server-arg'] as string[], agentArgs: values['agent-arg'] as string[], images: values.image as string[], registry: values.registry === true, timeoutMs: parseDuration(String(values.timeout), 'timeout'), progress: say });
    return 0;
  }
  if (sub === 'push') {
    if (!args.length) throw new UsageError('usage: skiff lab push [--as NAME:TAG] ARCHIVE…');
    const as = String(values.as || '');
    await labPush({ dir: labDir(values), archives: args, ...(as ? { as } : {}), progress: say });
    return 0;
  }
  if (sub === 'down') {
    await labDown({ dir: labDir(values), keep: values.keep === true, progress: say });
    return 0;
  }
  const host = args[0];
  if (!host || args.length > 1) throw new UsageError(`usage: skiff lab ${sub} HOST`);
  await (sub === 'halt' ? labHalt : sub === 'restart' ? labRestart : labStart)({ dir: labDir(values), host, progress: say });
  return 0;
}
