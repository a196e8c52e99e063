#!/usr/bin/env bash
# THE run command:  scripts/run.sh [extra `crm serve` args...]
# Sets up .venv, builds the frontend if it is stale, then serves on
# http://127.0.0.1:8000 (SQLite by default), applying migrations first.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CRM_ROOT"

crm_ensure_venv

# Build frontend/dist when it is missing or older than any frontend source
# (src/, index.html, package-lock.json, configs...).
if [ -f frontend/package.json ]; then
  if [ ! -d frontend/dist ] || [ -n "$(find frontend \
        \( -path frontend/node_modules -o -path frontend/dist \) -prune -o \
        -type f -newer frontend/dist -print -quit)" ]; then
    crm_npm_install
    crm_log "==> building frontend"
    (cd frontend && npm run build)
    touch frontend/dist
  fi
fi

exec .venv/bin/crm serve --migrate "$@"
