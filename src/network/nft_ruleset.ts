import type { CommandRunner } from './command.js';

/** NFT_TABLE is the one nftables table the pod network owns (family ip). */
export const NFT_TABLE = 'skiff-net';

const cidrPattern = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * podNetworkRuleset returns an `nft -f` script that replaces table `ip skiff-net` in one
 * transaction: `add` + `delete` first (so it works whether or not the table exists), then the full
 * table. It masquerades traffic from the cluster CIDR to anything outside it (pods reaching node
 * addresses and beyond; pod-to-pod keeps its source), and accepts forwarding to and from the
 * cluster CIDR. Throws on a malformed CIDR, since the text goes to nft verbatim.
 */
export function podNetworkRuleset(clusterCIDR: string): string {
  if (!cidrPattern.test(clusterCIDR)) throw new Error(`invalid cluster CIDR ${JSON.stringify(clusterCIDR)}: want a.b.c.d/n`);
  return [
    `add table ip ${NFT_TABLE}`,
    `delete table ip ${NFT_TABLE}`,
    `table ip ${NFT_TABLE} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    // Multicast stays unmasqueraded, as flannel does.
    `    ip saddr ${clusterCIDR} ip daddr != ${clusterCIDR} ip daddr != 224.0.0.0/4 masquerade`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    `    ip saddr ${clusterCIDR} accept`,
    `    ip daddr ${clusterCIDR} accept`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** applyRuleset loads an nft script atomically (`nft -f /dev/stdin`). */
export async function applyRuleset(run: CommandRunner, script: string): Promise<void> {
  await run('nft', ['-f', '/dev/stdin'], script);
}

/** deleteTable removes table `ip skiff-net` if it exists (the add makes the delete always valid). */
export async function deleteTable(run: CommandRunner): Promise<void> {
  await applyRuleset(run, `add table ip ${NFT_TABLE}\ndelete table ip ${NFT_TABLE}\n`);
}
