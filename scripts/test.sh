#!/usr/bin/env bash
# THE test command:  scripts/test.sh [pytest args...]
# Sets up .venv, starts a throwaway PostgreSQL (if available) for the
# Postgres-backed tests, runs ruff, frontend checks, then pytest.
# Exits with pytest's status.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CRM_ROOT"

crm_ensure_venv

# --- PostgreSQL for the test suite -------------------------------------------
if [ -z "${CRM_TEST_POSTGRES_URL:-}" ]; then
  if crm_pg_bindir >/dev/null; then
    if url="$(bash scripts/pg-test-server.sh)"; then
      export CRM_TEST_POSTGRES_URL="$url"
      crm_log "==> PostgreSQL tests against $CRM_TEST_POSTGRES_URL"
    elif [ "${CRM_TEST_REQUIRE_POSTGRES:-}" = 1 ]; then
      crm_die "could not start the test PostgreSQL server (see above)"
    else
      crm_log "warning: could not start the test PostgreSQL server; PostgreSQL tests will be skipped"
    fi
  elif [ "${CRM_TEST_REQUIRE_POSTGRES:-}" = 1 ]; then
    crm_die "CRM_TEST_REQUIRE_POSTGRES=1 but no PostgreSQL binaries found and CRM_TEST_POSTGRES_URL is unset"
  else
    crm_log "note: no PostgreSQL binaries found; PostgreSQL tests will be skipped (apt-get install postgresql)"
  fi
fi

# --- Lint / format -------------------------------------------------------------
lint_paths=()
for p in backend tests bench; do
  [ -e "$p" ] && lint_paths+=("$p")
done
if [ "${#lint_paths[@]}" -gt 0 ]; then
  crm_log "==> ruff check ${lint_paths[*]}"
  .venv/bin/ruff check "${lint_paths[@]}"
  crm_log "==> ruff format --check ${lint_paths[*]}"
  .venv/bin/ruff format --check "${lint_paths[@]}"
fi

# --- Frontend ------------------------------------------------------------------
# FRONTEND STEP: does nothing until frontend/package.json exists.
frontend_checks() {
  [ -f frontend/package.json ] || return 0
  crm_npm_install
  crm_log "==> frontend: typecheck, lint, build, first-load size (at most 100 kB gzipped)"
  (cd frontend && npm run typecheck && npm run lint && npm run build && npm run size)
}
frontend_checks

# --- Tests -----------------------------------------------------------------------
crm_log "==> pytest $*"
status=0
.venv/bin/python -m pytest "$@" || status=$?
exit "$status"
