#!/bin/sh
# Installs skiff from this checkout and starts `skiff server` (SQLite datastore under
# /var/lib/skiff, admin kubeconfig in /etc/skiff/skiff.yaml) as a systemd service, or in the
# background where there is no systemd. Run as root: sudo ./install.sh [server flags...]
set -eu
cd "$(dirname "$0")"
REPO=$(pwd)

say() { printf '[skiff-install] %s\n' "$*"; }
die() { printf '[skiff-install] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo ./install.sh): skiff writes /etc/skiff, /var/lib/skiff and a systemd unit"

export DEBIAN_FRONTEND=noninteractive
say "installing Debian packages (containerd, runc, CNI plugins, nftables, nginx for the ingress; the toolchain for the native SQLite module; kubectl if missing)"
apt-get update -qq || say "apt-get update failed; using the package lists already present"
command -v node >/dev/null || apt-get install -y -qq nodejs npm >/dev/null
apt-get install -y -qq --no-install-recommends python3 make g++ ca-certificates \
  containerd runc containernetworking-plugins nftables iptables iproute2 conntrack >/dev/null
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  # Debian starts its own nginx on port 80; skiff's ingress runs the binary itself, so that one goes.
  apt-get install -y -qq --no-install-recommends nginx-light >/dev/null || say "nginx not installed: Ingresses need it (or run skiff with --disable ingress)"
  systemctl disable --now nginx >/dev/null 2>&1 || true
fi
command -v kubectl >/dev/null || apt-get install -y -qq kubernetes-client >/dev/null || say "kubectl not installed: 'skiff kubectl' needs one on PATH"

major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || die "skiff needs Node.js 20 or newer (found $(node --version)); install a newer nodejs package and run this again"

say "installing npm packages and building"
npm ci --no-audit --no-fund --loglevel=error
npm run -s build
ln -sf "$REPO/bin/skiff" /usr/local/bin/skiff
# As k3s: skiff-killall.sh stops everything skiff runs, skiff-uninstall.sh also removes its files.
install -m 0755 "$REPO/scripts/skiff-killall.sh" /usr/local/bin/skiff-killall.sh
install -m 0755 "$REPO/scripts/skiff-uninstall.sh" /usr/local/bin/skiff-uninstall.sh

mkdir -p /etc/skiff /var/lib/skiff
if [ -d /run/systemd/system ]; then
  say "starting the skiff systemd service"
  cat > /etc/systemd/system/skiff.service <<UNIT
[Unit]
Description=skiff - lightweight Kubernetes
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=/usr/local/bin/skiff server $*
Restart=always
RestartSec=5s
LimitNOFILE=1048576
KillMode=process

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable skiff.service >/dev/null 2>&1
  systemctl restart skiff.service
  logs="journalctl -u skiff"
else
  say "no systemd here: starting skiff server in the background (log: /var/log/skiff.log)"
  if [ -f /run/skiff.pid ] && kill -0 "$(cat /run/skiff.pid)" 2>/dev/null; then kill "$(cat /run/skiff.pid)"; sleep 1; fi
  # shellcheck disable=SC2086
  nohup /usr/local/bin/skiff server $* >>/var/log/skiff.log 2>&1 &
  echo $! > /run/skiff.pid
  logs="tail /var/log/skiff.log"
fi

say "waiting for the API server"
i=0
until [ -s /etc/skiff/skiff.yaml ] && skiff kubectl get --raw /readyz >/dev/null 2>&1; do
  i=$((i + 1))
  [ $i -le 60 ] || die "the server did not become ready in 60 s; see: $logs"
  sleep 1
done
say "skiff is running. Try: skiff kubectl get namespaces"
say "node token: /var/lib/skiff/server/node-token   kubeconfig: /etc/skiff/skiff.yaml"
say "stop everything: skiff-killall.sh   remove skiff: skiff-uninstall.sh"
