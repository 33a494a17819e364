#!/usr/bin/env bash
# What `make test` needs beyond the Python environments: Debian's Chromium for the
# browser tests (test tools cannot download browsers here), PostgreSQL (the tests start
# throw-away servers of their own), Redis (the scale-out test's lock store) and axe-core
# from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Debian's chromium for the browser tests"
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is missing and installing it needs root: sudo apt-get install chromium" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> installing Debian's postgresql for the PostgreSQL tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if ! command -v redis-server >/dev/null; then
  echo "==> installing Debian's redis-server for the scale-out test (lock store)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

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
