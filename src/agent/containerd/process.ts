import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processAlive } from '../../lib/process.js';
import { GrpcCriClient } from '../cri/grpc_client.js';
import type { VersionResponse } from '../cri/types.js';

/** waitForExit resolves true when the child exits within ms, false otherwise. */
export function waitForExit(c: ChildProcess, ms: number): Promise<boolean> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      c.off('exit', done);
      resolve(false);
    }, ms);
    function done(): void {
      clearTimeout(t);
      resolve(true);
    }
    c.once('exit', done);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** signalProcess sends SIGTERM to a process that is not our child, then SIGKILL after ms; it waits (bounded) for it to go. */
export async function signalProcess(pid: number, ms: number): Promise<void> {
  if (!processAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < ms && processAlive(pid); waited += 100) await sleep(100);
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 5000 && processAlive(pid); waited += 100) await sleep(100);
}

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * waitForCri polls the socket with CRI Version until it answers, `exited()` turns true (the
 * process died) or timeoutMs passes; failures carry the tail of the log file.
 */
export async function waitForCri(socket: string, timeoutMs: number, exited: () => boolean, logFile: string): Promise<VersionResponse> {
  const deadline = Date.now() + timeoutMs;
  const client = new GrpcCriClient({ socket, timeoutMs: 2000 });
  try {
    let last = '';
    while (Date.now() < deadline) {
      if (exited()) throw new Error(`containerd exited during startup; last lines of ${logFile}:\n${logTail(logFile)}`);
      try {
        return await client.version({ timeoutMs: Math.max(100, Math.min(2000, deadline - Date.now())) });
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(250);
    }
    throw new Error(`containerd did not answer CRI Version on ${socket} within ${timeoutMs} ms (${last}); last lines of ${logFile}:\n${logTail(logFile)}`);
  } finally {
    client.close();
  }
}
