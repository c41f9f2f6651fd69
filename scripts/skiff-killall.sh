#!/bin/bash
# skiff-killall.sh stops skiff on this machine and undoes what it set up at run time, as
# k3s-killall.sh does: the skiff service and processes, the containers skiff's containerd runs,
# the pod mounts under the data dir, skiff's nftables tables, the CNI bridge and the pod routes.
# Files stay: skiff-uninstall.sh removes them. install.sh puts this at /usr/local/bin/skiff-killall.sh.
# Run as root. SKIFF_DATA_DIR picks another data dir (default: data-dir of /etc/skiff/config.yaml, else /var/lib/skiff).
set -u

[ "$(id -u)" -eq 0 ] || exec sudo "$0" "$@"

say() { printf '[skiff-killall] %s\n' "$*"; }

# What skiff names (src/cli/server_flags.ts, src/agent/containerd/config.ts, src/network, src/proxy, src/netpol).
config_data_dir=$(sed -n 's/^data-dir:[[:space:]]*["'\'']\{0,1\}\([^"'\'']*\)["'\'']\{0,1\}[[:space:]]*$/\1/p' /etc/skiff/config.yaml 2>/dev/null | tail -n 1)
DATA_DIR=${SKIFF_DATA_DIR:-${config_data_dir:-/var/lib/skiff}}
STATE_DIR=/run/skiff
BRIDGE=skiff0
ROUTE_PROTO=152
NFT_TABLES="skiff-proxy skiff-netpol skiff-net"

# SELF lists this script and its ancestors (the shell or sudo that ran it): never signalled, even
# when their command lines mention what is matched below.
SELF=" "
p=$$
depth=0
while [ -n "$p" ] && [ "$p" != 0 ] && [ $depth -lt 64 ]; do
  SELF="$SELF$p "
  depth=$((depth + 1))
  p=$(sed 's/^.*) [A-Za-z] \([0-9]*\).*$/\1/' "/proc/$p/stat" 2>/dev/null)
done

# pids_matching prints the pids whose command line contains every argument (NUL-separated args joined by spaces).
pids_matching() {
  local p pid cmd ok want
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    case $SELF in *" $pid "*) continue ;; esac
    [ "$pid" = "$BASHPID" ] && continue
    cmd=$(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) || continue
    [ -n "$cmd" ] || continue
    ok=1
    for want in "$@"; do
      case $cmd in *"$want"*) ;; *) ok=0 ;; esac
    done
    [ $ok -eq 1 ] && echo "$pid"
  done
}

# children prints the direct children of a pid.
children() {
  local s ppid p
  for s in /proc/[0-9]*/stat; do
    # Field 4 is the parent pid; the command field (2) may hold spaces, so cut after its ')'.
    ppid=$(sed 's/^.*) [A-Za-z] \([0-9]*\).*$/\1/' "$s" 2>/dev/null) || continue
    if [ "$ppid" = "$1" ]; then p=${s#/proc/}; echo "${p%/stat}"; fi
  done
}

# killtree stops each pid and its descendants (SIGKILL: containers do not get to clean up, as with k3s).
killtree() {
  local pid
  for pid in "$@"; do
    case $SELF in *" $pid "*) continue ;; esac
    kill -STOP "$pid" 2>/dev/null || continue
    # shellcheck disable=SC2046
    killtree $(children "$pid")
    kill -KILL "$pid" 2>/dev/null
  done
}

say "stopping the skiff service"
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  systemctl stop skiff.service 2>/dev/null || true
fi
if [ -f /run/skiff.pid ]; then
  kill "$(cat /run/skiff.pid)" 2>/dev/null || true
  rm -f /run/skiff.pid
fi
# Servers and agents started by hand: `skiff server|agent` (bin/skiff is a Node script).
for pid in $(pids_matching 'bin/skiff server') $(pids_matching 'bin/skiff agent'); do
  kill -TERM "$pid" 2>/dev/null || true
done
i=0
while [ -n "$(pids_matching 'bin/skiff server')$(pids_matching 'bin/skiff agent')" ] && [ $i -lt 10 ]; do
  sleep 1
  i=$((i + 1))
done
killtree $(pids_matching 'bin/skiff server') $(pids_matching 'bin/skiff agent')

say "stopping the containers (containerd shims under $STATE_DIR), containerd and the ingress nginx"
killtree $(pids_matching containerd-shim "$STATE_DIR/")
killtree $(pids_matching containerd "$DATA_DIR/agent/etc/containerd/config.toml")
killtree $(pids_matching nginx "$DATA_DIR/agent/ingress")

# unmount_under unmounts every mount point below a folder, deepest first (/proc/self/mounts escapes spaces as \040).
unmount_under() {
  awk -v dir="$1" 'index($2, dir) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$(printf '%b' "$m")" 2>/dev/null || true
  done
}
say "unmounting pod volumes and sandboxes under $DATA_DIR and $STATE_DIR"
unmount_under "$DATA_DIR/"
unmount_under "$STATE_DIR/"
# Pod network namespaces the CNI plugins were given (containerd names them cni-<id>).
for ns in /run/netns/cni-*; do
  [ -e "$ns" ] || continue
  umount -l "$ns" 2>/dev/null || true
  rm -f "$ns"
done

if command -v nft >/dev/null; then
  say "deleting nftables tables: $NFT_TABLES"
  for t in $NFT_TABLES; do
    nft delete table ip "$t" 2>/dev/null || true
  done
fi
# The CNI portmap plugin writes iptables rules (hostPorts) commented with the network name "skiff".
if command -v iptables-save >/dev/null && iptables-save 2>/dev/null | grep -q 'name: \\"skiff\\"'; then
  say "removing the hostPort rules of the skiff CNI network"
  iptables-save | grep -v 'name: \\"skiff\\"' | iptables-restore || true
fi

if command -v ip >/dev/null; then
  say "removing the $BRIDGE bridge, its pod veths and the pod routes"
  for veth in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
    ip link delete "$veth" 2>/dev/null || true
  done
  ip link delete "$BRIDGE" 2>/dev/null || true
  ip route flush proto "$ROUTE_PROTO" 2>/dev/null || true
fi

rm -rf "$STATE_DIR"
say "done"
