// scripts/skiff-killall.sh and skiff-uninstall.sh, run only inside a throwaway network + mount +
// pid namespace (never against this machine's tables, links or processes): a fake skiff node's
// leftovers go, everything else stays. Needs root and unshare; skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './harness.js';

const canRun = process.getuid?.() === 0 && spawnSync('unshare', ['--version']).status === 0;

// Every path the scripts write to is a tmpfs of the private mount namespace.
const scenario = `
set -u
mount --make-rprivate /
for d in /run /etc/skiff /var/lib/skiff /etc/systemd/system /usr/local/bin /var/log; do mkdir -p $d; mount -t tmpfs tmpfs $d; done
ip link set lo up
for t in skiff-proxy skiff-netpol skiff-net other-table; do nft add table ip $t; done
ip link add skiff0 type bridge && ip link set skiff0 up
ip link add vethA type veth peer name vethB && ip link set vethA master skiff0
ip link add vethC type veth peer name vethD && ip addr add 10.99.0.1/24 dev vethC && ip link set vethC up && ip link set vethD up
ip route add 10.42.5.0/24 via 10.99.0.2 proto 152 && ip route add 10.55.0.0/24 via 10.99.0.2
mkdir -p /var/lib/skiff/agent/pods/p1/volumes/v /run/skiff/abc/containerd && mount -t tmpfs tmpfs /var/lib/skiff/agent/pods/p1/volumes/v
(exec -a "containerd-shim-runc-v2 -address /run/skiff/abc/containerd/containerd.sock" sleep 60) &
(exec -a "node /usr/local/bin/skiff server" sleep 60) &
sleep 61 & OTHER=$!
sleep 0.3
bash ${join(REPO, 'scripts', 'skiff-killall.sh')} >/dev/null 2>&1
echo "tables: $(nft list tables | tr '\\n' ' ')"
echo "links: $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort | tr '\\n' ' ')"
echo "routes: $(ip route | grep -c 10.42.5.0) $(ip route | grep -c 10.55.0.0)"
echo "mounts: $(grep -c /var/lib/skiff/agent /proc/self/mounts)"
echo "procs: $(ps -eo args | grep -c -e '^containerd-shim' -e '^node /usr/local/bin/skiff server') other=$(kill -0 $OTHER && echo alive)"
ln -s ${join(REPO, 'bin', 'skiff')} /usr/local/bin/skiff
install -m 0755 ${join(REPO, 'scripts', 'skiff-killall.sh')} ${join(REPO, 'scripts', 'skiff-uninstall.sh')} /usr/local/bin/
echo x > /etc/skiff/skiff.yaml; echo x > /etc/systemd/system/skiff.service; mkdir -p /var/lib/skiff/server
/usr/local/bin/skiff-uninstall.sh >/dev/null 2>&1
echo "left: $(ls -A /usr/local/bin /etc/skiff /var/lib/skiff /etc/systemd/system | grep -v ':$' | grep -c .)"
kill $OTHER
`;

test('skiff-killall.sh and skiff-uninstall.sh have valid syntax', () => {
  for (const s of ['skiff-killall.sh', 'skiff-uninstall.sh']) {
    // --kill-child: should the scenario hang, killing unshare takes the whole namespace with it.
  const r = spawnSync('bash', ['-n', join(REPO, 'scripts', s)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
});

test('skiff-killall.sh removes a node’s leftovers and nothing else; uninstall removes the files', { skip: !canRun && 'needs root and unshare' }, () => {
  const r = spawnSync('unshare', ['-n', '-m', '-p', '-f', '--mount-proc', '--kill-child', 'bash', '-c', scenario], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  const out = r.stdout;
  assert.match(out, /^tables: table ip other-table $/m, out + r.stderr);
  assert.match(out, /^links: lo vethC vethD $/m, out);
  assert.match(out, /^routes: 0 1$/m, out);
  assert.match(out, /^mounts: 0$/m, out);
  assert.match(out, /^procs: 0 other=alive$/m, out);
  assert.match(out, /^left: 0$/m, out);
});
