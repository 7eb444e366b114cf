#!/usr/bin/env bash
# Create (or reuse) .venv/ and install what the app and the tests need. Idempotent and quick
# when nothing changed. Usage: scripts/setup.sh [app|dev]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}
req=requirements.txt
[[ $mode == dev ]] && req=requirements-dev.txt

# Debian packages: graphviz (plot_model) always; chromium for the browser tests.
debs=()
command -v dot >/dev/null 2>&1 || debs+=(graphviz)
if [[ $mode == dev ]] && ! command -v chromium >/dev/null 2>&1; then debs+=(chromium); fi
if ((${#debs[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    echo "setup: warning: missing ${debs[*]} (install them with apt-get as root)" >&2
  fi
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$mode
want=$(cat requirements*.txt pyproject.toml | sha256sum | cut -c1-16)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "setup: installing $req into .venv (first time: about a minute)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
  # the project itself, editable: `kgb` on the venv's PATH, `import builder` from any folder
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  echo "$want" >"$stamp"
fi
