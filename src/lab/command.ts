import { spawn } from 'node:child_process';

const PACKAGES: Readonly<Record<string, string>> = { ip: 'iproute2', nsenter: 'util-linux', kubectl: 'kubectl', umount: 'mount' };

/**
 * run runs a program (no shell) and resolves with its stdout when it exits 0. It rejects with
 * "X: command not found: install PACKAGE" when the program is missing, with the command and its
 * stderr when it fails, and kills it after timeoutMs (default 15 s) so no step hangs.
 */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 15_000, killSignal: 'SIGKILL', env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error(`${cmd}: command not found: install ${PACKAGES[cmd] ?? cmd}`) : e));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${[cmd, ...args].join(' ')} failed (${signal ? `killed by ${signal}` : `exit ${code}`}): ${stderr.trim() || stdout.trim() || '(no output)'}`));
    });
  });
}

/** ip runs `ip ARGS`, or `ip -n NETNS ARGS` when a namespace is given (setns only: no remount). */
export function ip(netns: string | undefined, ...args: string[]): Promise<string> {
  return run('ip', netns ? ['-n', netns, ...args] : args);
}

/** nsenterArgs is the argv prefix that runs a command in a lab namespace (never `ip netns exec`, which hides cgroup mounts). */
export function nsenterArgs(netns: string): string[] {
  return [`--net=/run/netns/${netns}`, '--'];
}

/** requireTools checks that each program is on PATH, failing with the Debian package to install. */
export async function requireTools(tools: string[]): Promise<void> {
  for (const t of tools) {
    const found = await run('sh', ['-c', 'command -v "$0"', t]).then(() => true, () => false);
    if (!found) throw new Error(`${t}: command not found: install ${PACKAGES[t] ?? t}`);
  }
}
