#!/usr/bin/env bash
# Prepare this checkout: a virtualenv with the pinned requirements, and the offline map assets.
# Usage: scripts/setup.sh [dev]   ("dev" adds what the tests need: pytest, playwright, Chromium, nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  # --upgrade-deps: today's pip and setuptools, not the ones bundled with this Python (the audit checks them too).
  "$PY" -m venv --upgrade-deps .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  # The browser tests drive Debian's Chromium (playwright cannot download its own browser here),
  # and Chinese text needs CJK fonts to be readable in screenshots. nginx: the multi-process recipe
  # (deploy/) is tested; Debian's package is only run by the tests and `deploy/run-cluster.sh`.
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "installing ${need[*]} from Debian's packages" >&2
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}" >/dev/null
  fi
fi
.venv/bin/python -m geo assets
