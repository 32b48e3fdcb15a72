#!/usr/bin/env bash
# Run N atlas processes on loopback ports behind nginx with sticky sessions, until Ctrl-C.
# Usage: deploy/run-cluster.sh N [--listen 0.0.0.0:8080]     (nginx: scripts/setup.sh dev installs it)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || scripts/setup.sh
exec .venv/bin/python -m deploy.cluster "$@"
