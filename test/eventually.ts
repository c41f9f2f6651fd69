/**
 * eventually calls fn every intervalMs until it returns (or resolves) without throwing, and
 * resolves with that value; after timeoutMs it throws, naming `what` and fn's last error.
 */
export async function eventually<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}: ${(last as Error)?.message ?? String(last)}`);
}
