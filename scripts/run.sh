#!/usr/bin/env bash
# The exchange on one machine: SQLite with reference and demo data, a background worker, the development server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/python manage.py migrate --noinput
$BIN/python manage.py load_reference_data
$BIN/python manage.py seed_demo
# Background tasks (imports from the upload page, e-mails) run in a worker beside the server.
$BIN/python manage.py db_worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
$BIN/python manage.py runserver 127.0.0.1:8000
