#!/usr/bin/env bash
# What `make test` needs beyond the Python environments: Debian's Chromium for the
# browser tests (test tools cannot download browsers here), PostgreSQL (the tests start
# throw-away servers of their own), Redis (the scale-out test's lock store) and axe-core
# from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

# apt_install PACKAGE WHY: install a Debian package (the package lists are updated once).
apt_updated=
apt_install() {
  echo "==> installing Debian's $1 $2"
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1 is missing and installing it needs root: sudo apt-get install $1" >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

[ -x /usr/bin/chromium ] || apt_install chromium "for the browser tests"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ||
  apt_install postgresql "for the PostgreSQL tests"
command -v redis-server >/dev/null || apt_install redis-server "for the scale-out test (lock store)"

if ! command -v npm >/dev/null; then
  echo "npm is missing (needed for axe-core): apt-get install npm" >&2
  exit 1
fi
stamp=node_modules/.landsby-lock
hash=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "==> installing npm packages (axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$hash" > "$stamp"
fi
