import { readFile, writeFile } from 'node:fs/promises';
import type { CommandRunner } from './controller.js';

/**
 * enableBridgeNetfilter makes bridged IPv4 traffic pass the IP hooks in the current network
 * namespace (`net.bridge.bridge-nf-call-iptables=1`, per namespace since Linux 5.3): pods of one
 * node talk over the skiff0 bridge, and without br_netfilter their packets never reach the
 * forward hook where policies are checked. Loads the module when its sysctls are missing (as k3s
 * does). Resolves with a warning when it cannot, undefined when bridged traffic is filtered.
 */
export async function enableBridgeNetfilter(opts: { run: CommandRunner; procRoot?: string }): Promise<string | undefined> {
  const path = `${opts.procRoot ?? '/proc'}/sys/net/bridge/bridge-nf-call-iptables`;
  const present = (): Promise<boolean> => readFile(path, 'utf8').then(() => true, () => false);
  if (!(await present())) await opts.run('modprobe', ['br_netfilter']).catch(() => undefined);
  if (!(await present())) return 'br_netfilter is not loaded (modprobe br_netfilter): NetworkPolicies do not separate pods on the same node';
  try {
    await writeFile(path, '1\n');
  } catch (e) {
    if ((await readFile(path, 'utf8')).trim() !== '1') return `cannot set ${path} to 1 (${(e as Error).message}): NetworkPolicies do not separate pods on the same node`;
  }
  return undefined;
}
