#!/usr/bin/env bash
# The whole test suite: lint, migration and deploy checks, then pytest on SQLite and again on PostgreSQL.
# In CI (CI=true) nothing may be skipped: a missing browser is installed, a missing PostgreSQL is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
start=$(date +%s)

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== import layers"
$BIN/lint-imports --no-logo

echo "== types"
$BIN/mypy techex

echo "== migrations are up to date"
DJANGO_SETTINGS_MODULE=config.settings.test $BIN/python manage.py makemigrations --check --dry-run

echo "== production settings pass check --deploy"
DJANGO_SETTINGS_MODULE=config.settings.production \
DJANGO_SECRET_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
DJANGO_ALLOWED_HOSTS=exchange.example.vn DATABASE_URL="$PG_URL" \
DJANGO_AUDIT_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== browser"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
pytest_browser_args=()
# One worker process per core (pytest-xdist; each worker has its own test database). PYTEST_WORKERS=0 runs in one.
workers=(-n "${PYTEST_WORKERS:-$(nproc)}")
if [ ! -x /usr/bin/chromium ]; then
  if [ "${CI:-}" = "true" ]; then echo "chromium is missing and could not be installed" >&2; exit 1; fi
  echo "chromium is not installed: browser tests are skipped (install Debian's chromium to run them)"
  pytest_browser_args=(-m "not browser")
fi

echo "== tests on SQLite"
env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $BIN/pytest -q "${workers[@]}" "${pytest_browser_args[@]}" "$@"

echo "== tests on PostgreSQL ($PG_URL)"
if $BIN/python -c "import psycopg,sys; psycopg.connect('$PG_URL', connect_timeout=3).close()" 2>/dev/null; then
  DATABASE_URL="$PG_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true $BIN/pytest -q "${workers[@]}" "${pytest_browser_args[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PG_URL" >&2; exit 1
else
  echo "PostgreSQL is not reachable at $PG_URL: the PostgreSQL run is skipped"
fi
echo "== all checks passed in $(( $(date +%s) - start )) s"
