# shellcheck shell=bash
# Shared helpers for scripts/test.sh, scripts/run.sh, scripts/pg-test-server.sh
# and .ci/run. Source it; it only defines functions and CRM_ROOT.

CRM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

crm_log() { printf '%s\n' "$*" >&2; }
crm_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Pick a Python >= 3.11 (override with $PYTHON).
crm_python() {
  local candidates=("${PYTHON:-}" python3 python3.13 python3.12 python3.11) py
  for py in "${candidates[@]}"; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null 2>&1 || continue
    if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      printf '%s\n' "$py"
      return 0
    fi
  done
  crm_die "Python >= 3.11 not found (set PYTHON=/path/to/python3.11)"
}

# Create .venv if missing and (re)install the package with dev extras when
# the venv is new or pyproject.toml is newer than .venv/.installed-stamp.
crm_ensure_venv() {
  local venv="$CRM_ROOT/.venv" stamp="$CRM_ROOT/.venv/.installed-stamp" py
  [ -f "$CRM_ROOT/pyproject.toml" ] || crm_die "pyproject.toml not found in $CRM_ROOT"
  if [ ! -x "$venv/bin/python" ]; then
    py="$(crm_python)"
    crm_log "==> creating .venv with $py"
    rm -rf "$venv"
    "$py" -m venv "$venv" ||
      crm_die "could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)"
    rm -f "$stamp"
  fi
  if [ ! -f "$stamp" ] || [ "$CRM_ROOT/pyproject.toml" -nt "$stamp" ]; then
    crm_log "==> installing crm[dev] into .venv"
    (cd "$CRM_ROOT" && "$venv/bin/python" -m pip install --disable-pip-version-check -q -e '.[dev]')
    touch "$stamp"
  fi
}

# Newest PostgreSQL bin dir: $CRM_TEST_PG_BIN, else newest
# /usr/lib/postgresql/*/bin (Debian), else wherever initdb is on PATH.
# Prints nothing and returns 1 if none is found.
crm_pg_bindir() {
  local d
  if [ -n "${CRM_TEST_PG_BIN:-}" ]; then
    [ -x "$CRM_TEST_PG_BIN/initdb" ] && [ -x "$CRM_TEST_PG_BIN/pg_ctl" ] || return 1
    printf '%s\n' "$CRM_TEST_PG_BIN"
    return 0
  fi
  d="$(for x in /usr/lib/postgresql/*/bin; do
         [ -x "$x/initdb" ] && [ -x "$x/pg_ctl" ] && printf '%s\n' "$x"
       done | sort -V | tail -n 1)"
  if [ -z "$d" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    d="$(dirname "$(command -v initdb)")"
  fi
  [ -n "$d" ] || return 1
  printf '%s\n' "$d"
}

# npm ci inside frontend/ when node_modules is missing or package-lock.json
# is newer than node_modules/.package-lock.json.
crm_npm_install() {
  local fe="$CRM_ROOT/frontend"
  command -v npm >/dev/null 2>&1 || crm_die "frontend/package.json exists but npm is not installed"
  if [ ! -d "$fe/node_modules" ] || [ ! -f "$fe/node_modules/.package-lock.json" ] ||
     [ "$fe/package-lock.json" -nt "$fe/node_modules/.package-lock.json" ]; then
    crm_log "==> npm ci (frontend)"
    (cd "$fe" && npm ci --no-audit --no-fund)
  fi
}
