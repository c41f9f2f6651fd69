import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** DEFAULT_KUBECONFIG is where `skiff server` writes the admin kubeconfig. */
export const DEFAULT_KUBECONFIG = '/etc/skiff/skiff.yaml';

/**
 * runKubectl is `skiff kubectl ARGS`: the kubectl on PATH with the server's kubeconfig (unless
 * KUBECONFIG is set), as `k3s kubectl` does. Resolves with kubectl's exit code.
 */
export function runKubectl(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const kubeconfig = env.KUBECONFIG || DEFAULT_KUBECONFIG;
  if (!env.KUBECONFIG && !existsSync(kubeconfig)) {
    process.stderr.write(`skiff kubectl: ${kubeconfig} does not exist: start the server first (skiff server), or set KUBECONFIG\n`);
  }
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { stdio: 'inherit', env: { ...env, KUBECONFIG: kubeconfig } });
    child.on('error', (e) => {
      process.stderr.write(`skiff kubectl: cannot run kubectl (${e.message}): install it (Debian package kubernetes-client) or put it on PATH\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
