import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podNetworkRuleset } from './nft_ruleset.js';

test('podNetworkRuleset replaces table ip skiff-net atomically', () => {
  assert.equal(
    podNetworkRuleset('10.42.0.0/16'),
    `add table ip skiff-net
delete table ip skiff-net
table ip skiff-net {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 10.42.0.0/16 ip daddr != 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip saddr 10.42.0.0/16 accept
    ip daddr 10.42.0.0/16 accept
  }
}
`,
  );
});

test('podNetworkRuleset refuses text that is not a CIDR', () => {
  for (const bad of ['', '10.42.0.0', '10.42.0.0/16; flush ruleset', 'fe80::/64']) {
    assert.throws(() => podNetworkRuleset(bad), /invalid cluster CIDR/);
  }
});
