import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';

/** BRIDGE_NAME is the Linux bridge the CNI bridge plugin creates on every node for its pods. */
export const BRIDGE_NAME = 'skiff0';

/** CNI_NETWORK_NAME is the CNI network name (containerd picks the first conflist by file name). */
export const CNI_NETWORK_NAME = 'skiff';

/** CNI_PLUGINS are the plugin programs the generated config needs (Debian containernetworking-plugins). */
export const CNI_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

/** CNI_BIN_DIRS are where Debian (/usr/lib/cni) and upstream tarballs (/opt/cni/bin) put the plugins. */
export const CNI_BIN_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];

/** cniConfDir is the folder containerd reads CNI configs from: `<dataDir>/agent/etc/cni/net.d`. */
export function cniConfDir(dataDir: string): string {
  return join(dataDir, 'agent', 'etc', 'cni', 'net.d');
}

/** cniConfPath is the node's conflist file: `<dataDir>/agent/etc/cni/net.d/10-skiff.conflist`. */
export function cniConfPath(dataDir: string): string {
  return join(cniConfDir(dataDir), '10-skiff.conflist');
}

/** cniIpamDir is host-local's state folder (leased pod IPs): `<dataDir>/agent/cni/ipam`. */
export function cniIpamDir(dataDir: string): string {
  return join(dataDir, 'agent', 'cni', 'ipam');
}

/**
 * cniConflist returns the node's CNI network: a `bridge` (skiff0, gateway, hairpin, no ipMasq:
 * nftables masquerades instead) with `host-local` IPAM over the node's pod CIDR and a default
 * route, then `portmap` for hostPorts. CNI 1.0.0, which Debian's plugins 1.1.1 and containerd 1.6 speak.
 */
export function cniConflist(opts: { podCIDR: string; dataDir: string }): Record<string, unknown> {
  return {
    cniVersion: '1.0.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: BRIDGE_NAME,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: opts.podCIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: cniIpamDir(opts.dataDir),
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** writeCniConfig writes the conflist atomically (temp file + rename, so containerd never reads half a file); returns its path. */
export async function writeCniConfig(opts: { podCIDR: string; dataDir: string }): Promise<string> {
  const path = cniConfPath(opts.dataDir);
  await mkdir(cniConfDir(opts.dataDir), { recursive: true });
  await mkdir(cniIpamDir(opts.dataDir), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(cniConflist(opts), null, 2) + '\n', { mode: 0o644 });
  await rename(`${path}.tmp`, path);
  return path;
}

/**
 * findCniBinDir returns the first folder holding every plugin in CNI_PLUGINS; it throws an error
 * naming the Debian package when none does.
 */
export async function findCniBinDir(dirs: string[] = CNI_BIN_DIRS): Promise<string> {
  for (const dir of dirs) {
    const ok = await Promise.all(CNI_PLUGINS.map((p) => access(join(dir, p), constants.X_OK).then(() => true, () => false)));
    if (ok.every(Boolean)) return dir;
  }
  throw new Error(`CNI plugins (${CNI_PLUGINS.join(', ')}) not found in ${dirs.join(' or ')}: install containernetworking-plugins`);
}
