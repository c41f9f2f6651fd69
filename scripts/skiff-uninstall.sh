#!/bin/bash
# skiff-uninstall.sh removes what install.sh set up, as k3s-uninstall.sh does: it runs
# skiff-killall.sh, then removes the skiff service, the data dir, /etc/skiff, the runtime state,
# the skiff symlink and these two scripts. The checkout and the Debian packages stay.
# install.sh puts this at /usr/local/bin/skiff-uninstall.sh. Run as root.
set -u

[ "$(id -u)" -eq 0 ] || exec sudo "$0" "$@"

say() { printf '[skiff-uninstall] %s\n' "$*"; }

BIN_DIR=${SKIFF_BIN_DIR:-/usr/local/bin}
config_data_dir=$(sed -n 's/^data-dir:[[:space:]]*["'\'']\{0,1\}\([^"'\'']*\)["'\'']\{0,1\}[[:space:]]*$/\1/p' /etc/skiff/config.yaml 2>/dev/null | tail -n 1)
DATA_DIR=${SKIFF_DATA_DIR:-${config_data_dir:-/var/lib/skiff}}
export SKIFF_DATA_DIR=$DATA_DIR

killall_script="$BIN_DIR/skiff-killall.sh"
[ -x "$killall_script" ] || killall_script="$(dirname "$0")/skiff-killall.sh"
if [ -x "$killall_script" ]; then
  "$killall_script"
else
  say "skiff-killall.sh not found: only removing files"
fi

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  say "removing the skiff systemd service"
  systemctl disable skiff.service >/dev/null 2>&1 || true
  systemctl reset-failed skiff.service >/dev/null 2>&1 || true
fi
rm -f /etc/systemd/system/skiff.service
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then systemctl daemon-reload || true; fi

# An empty data dir or "/" (a mistaken SKIFF_DATA_DIR) is never removed.
case $DATA_DIR in
  / | "") say "refusing to remove data dir ${DATA_DIR:-<empty>}" ;;
  *)
    say "removing $DATA_DIR, /etc/skiff and /run/skiff"
    rm -rf "$DATA_DIR"
    ;;
esac
rm -rf /etc/skiff /run/skiff /run/skiff.pid /var/log/skiff.log

# Only the symlink install.sh made: a skiff binary someone put there by other means stays.
if [ -L "$BIN_DIR/skiff" ]; then rm -f "$BIN_DIR/skiff"; fi
rm -f "$BIN_DIR/skiff-killall.sh" "$BIN_DIR/skiff-uninstall.sh"
say "done"
