#!/usr/bin/env bash
# Create and sync Landsby's two locked environments (see DESIGN.md, "Two Python
# environments"). Idempotent and fast when nothing changed: each environment records the
# hash of the lock file it was synced from.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
export UV_PYTHON_DOWNLOADS=never

# find_python 3.10 → path of a working interpreter of that minor version, or nothing.
find_python() {
  local want=$1 candidate
  local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
  for candidate in \
      $(ls -d "$pyenv_root"/versions/"$want".*/bin/python 2>/dev/null | sort -V -r) \
      "$(command -v "python$want" 2>/dev/null || true)" \
      "/usr/local/bin/python$want" "/usr/bin/python$want"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$want'.split('.')))" 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

missing() {
  echo "Landsby needs Python $1 ($2), which was not found." >&2
  echo "Install it, e.g. 'pyenv install $1' (pyenv: https://github.com/pyenv/pyenv)" >&2
  echo "or 'apt-get install python$1 python$1-venv', then run make again." >&2
  exit 1
}

ENGINE_PY=$(find_python 3.10) || missing 3.10 "for the dialogue engine, Rasa 3.6"
APP_PY=$(find_python 3.12 || find_python 3.13 || find_python 3.11) || missing 3.12 "for the web app"

if [ ! -x .venv-tools/bin/uv ] || [ "$(.venv-tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "==> installing uv $UV_VERSION into .venv-tools"
  "$APP_PY" -m venv .venv-tools
  .venv-tools/bin/pip install --quiet "uv==$UV_VERSION"
fi
UV=.venv-tools/bin/uv

# sync_env DIR PYTHON LOCKFILE... — sync DIR exactly to the lock; the other files listed
# only count for the "did anything change" check.
sync_env() {
  local dir=$1 python=$2 lock=$3 stamp hash
  hash=$(cat "${@:3}" | sha256sum | cut -c1-16)
  stamp="$dir/.landsby-lock"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return 1; fi
  echo "==> syncing $dir from $lock"
  [ -x "$dir/bin/python" ] || "$UV" venv --quiet --python "$python" "$dir"
  VIRTUAL_ENV=$dir "$UV" pip sync --quiet --python "$dir/bin/python" "$lock"
  echo "$hash" > "$stamp"
}

sync_env .venv-engine "$ENGINE_PY" requirements/engine.lock || true
if sync_env .venv "$APP_PY" requirements/app.lock pyproject.toml || [ ! -x .venv/bin/landsby ]; then
  # `pip sync` removes what the lock does not list, including Landsby itself.
  VIRTUAL_ENV=.venv "$UV" pip install --quiet --python .venv/bin/python --no-deps -e .
fi
