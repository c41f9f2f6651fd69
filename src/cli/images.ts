import { existsSync, readFileSync } from 'node:fs';
import { containerdPaths } from '../agent/containerd/config.js';
import { waitForCri } from '../agent/containerd/process.js';
import { formatImportResult, importImage, runCtr } from '../agent/images/import.js';
import { formatHelp, parseFlags, UsageError, type FlagSpec } from './flags.js';

/** imagesFlags are the flags of `skiff images`. */
export const imagesFlags: FlagSpec[] = [
  { name: 'data-dir', alias: 'd', kind: 'string', default: '/var/lib/skiff', env: 'SKIFF_DATA_DIR', help: 'Data folder of the running agent' },
];

const imagesUsage = `skiff images - manage the images of the node's containerd (namespace k8s.io)

USAGE:
   skiff images import FILE... [flags]   Import OCI-layout or docker-archive tarballs (.tar, .tar.gz)
   skiff images ls [flags]               List image references

FLAGS:
${formatHelp(imagesFlags)}`;

/** agentSocket finds the running agent's containerd socket for a data dir, or throws a UsageError saying the agent is not running. */
async function agentSocket(dataDir: string): Promise<{ socket: string; snapshotter?: string }> {
  const paths = containerdPaths(dataDir);
  const notRunning = `the agent's containerd is not running for data dir ${dataDir} (no answer on ${paths.socket}): start 'skiff agent' (or 'skiff server') with --data-dir ${dataDir} first`;
  if (!existsSync(paths.socket)) throw new UsageError(notRunning);
  try {
    await waitForCri(paths.socket, 3000, () => false, paths.logFile);
  } catch {
    throw new UsageError(notRunning);
  }
  // Unpack into the snapshotter the agent chose for CRI (its config.toml says which).
  let snapshotter: string | undefined;
  try {
    snapshotter = /^\s*snapshotter = "([\w.-]+)"/m.exec(readFileSync(paths.configFile, 'utf8'))?.[1];
  } catch {
    snapshotter = undefined;
  }
  return snapshotter ? { socket: paths.socket, snapshotter } : { socket: paths.socket };
}

/** runImages runs `skiff images SUBCOMMAND …`; it returns the exit code (1 when an import failed). */
export async function runImages(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    console.log(imagesUsage);
    return sub === undefined ? 1 : 0;
  }
  const { values, args } = parseFlags(imagesFlags, rest);
  const dataDir = String(values['data-dir']);
  switch (sub) {
    case 'import': {
      if (args.length === 0) throw new UsageError('skiff images import needs at least one FILE');
      for (const f of args) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
      const ctr = await agentSocket(dataDir);
      let failed = 0;
      for (const f of args) {
        console.log(`importing ${f} ...`);
        const r = await importImage(f, ctr);
        console.log(formatImportResult(r));
        if (!r.ok) failed++;
      }
      return failed ? 1 : 0;
    }
    case 'ls': {
      if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
      const out = await runCtr(await agentSocket(dataDir), ['images', 'ls', '-q']);
      process.stdout.write(out);
      return 0;
    }
    default:
      throw new UsageError(`unknown images subcommand ${JSON.stringify(sub)}; want import or ls`);
  }
}
