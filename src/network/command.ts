import { spawn } from 'node:child_process';

/** CommandResult is what a finished command printed. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * CommandRunner runs one program with arguments (no shell), optionally feeding `input` on stdin,
 * and resolves with its output when it exits 0; it rejects otherwise. Tests inject fakes.
 */
export type CommandRunner = (cmd: string, args: string[], input?: string) => Promise<CommandResult>;

/** TOOL_PACKAGES names the Debian package that provides each program skiff's data plane runs. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  ip: 'iproute2',
  nft: 'nftables',
  nsenter: 'util-linux',
  kubectl: 'kubectl',
  bridge: 'containernetworking-plugins',
  conntrack: 'conntrack',
};

/** ToolMissingError says a program is not installed and which Debian package provides it. */
export class ToolMissingError extends Error {
  override name = 'ToolMissingError';
  constructor(readonly tool: string) {
    super(`${tool}: command not found: install ${TOOL_PACKAGES[tool] ?? tool}`);
  }
}

/** CommandError is a command that ran and failed; the message carries its stderr. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly cmd: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`${cmd} failed (exit ${code ?? 'signal'}): ${stderr.trim() || '(no output)'}`);
  }
}

/**
 * runCommand is the real CommandRunner: it spawns the program, kills it after timeoutMs
 * (default 15 s), maps "not installed" to ToolMissingError and a non-zero exit to CommandError.
 */
export function runCommand(cmd: string, args: string[], input?: string, timeoutMs = 15_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new ToolMissingError(cmd) : e));
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandError([cmd, ...args].join(' '), code, signal ? `${stderr}killed by ${signal}` : stderr));
    });
    child.stdin.on('error', () => {}); // a program that exits early closes stdin: the exit code tells.
    child.stdin.end(input ?? '');
  });
}
