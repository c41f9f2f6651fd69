/**
 * processAlive tells whether a process with this pid is running (signal 0 reaches it); false for
 * an absent or zero pid, and for one this process may not signal.
 */
export function processAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
