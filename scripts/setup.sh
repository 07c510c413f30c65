#!/usr/bin/env bash
# Installs everything this project needs on Debian 12 with Node 20: system packages (cairo/pango
# for chart rendering, a CJK font for Japanese labels, socat for virtual serial ports), pnpm at the
# version pinned in package.json, the workspace's dependencies, and the packages' JavaScript
# build. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev fonts-ipafont-gothic socat)
# The outputs' tests run a real MQTT broker and a real Prometheus.
apt_packages+=(mosquitto prometheus)
# The Pub/Sub emulator (a gcloud component, where gcloud is installed) runs on Java.
if command -v gcloud >/dev/null 2>&1 && ! command -v java >/dev/null 2>&1; then
  apt_packages+=(default-jre-headless)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$want" ]; then
  echo "setup: installing pnpm@$want"
  npm install -g "pnpm@$want" >/dev/null 2>&1
fi

log=$(mktemp)
if ! pnpm install --frozen-lockfile --reporter=append-only >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "setup: pnpm install failed (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
echo "setup: dependencies installed"

# The commands users run (poller start, graph power/temp, simulator start, decode) and the systemd
# unit run the compiled JavaScript under plain node.
if ! pnpm -r build >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "setup: pnpm build failed (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
echo "setup: packages built"

