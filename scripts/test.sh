#!/usr/bin/env bash
# One command: install what the tests need (Chromium, axe-core through npm, and Redis), check that imports run one way
# (.importlinter), and run the whole suite.
# SQLite by default; TEST_DATABASE_URL=postgresql://... runs it on PostgreSQL. Extra args go to pytest.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> Installing Chromium (Debian package) for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
# The browser tests check every page with axe-core, pinned in package.json / package-lock.json.
if ! command -v npm >/dev/null 2>&1; then
  echo "==> Installing Node.js and npm (Debian packages) for axe-core"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
echo "==> Installing axe-core (npm ci)"
(cd "$(dirname "${BASH_SOURCE[0]}")/.." && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# The job tests send jobs through a real Redis (TEST_REDIS_URL, by default this machine's, database 12).
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && [ -z "${TEST_REDIS_URL:-}" ]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "==> Installing Redis (Debian package) for the job queue tests"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  fi
  echo "==> Starting Redis on 127.0.0.1:6379 for the job queue tests"
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
fi
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements-test.txt
echo "==> Checking the import layers (.importlinter)"
.venv/bin/lint-imports --no-logo
# Two workers by default (the machine's cores; the browser tests wait on pages and jobs as much as they compute);
# TEST_WORKERS=0 runs in one process. On PostgreSQL each worker has its own database (`test` -> `test_gw0`...).
WORKERS="${TEST_WORKERS:-2}"
echo "==> Running the tests on ${TEST_DATABASE_URL:-SQLite} ($WORKERS workers)"
if [ "$WORKERS" = "0" ]; then
  exec .venv/bin/python -m pytest "$@"
fi
# Plain load balancing: pytest 9.2 keeps a test's id where pytest-xdist 3.8 cannot add a group to it, so
# `--dist loadgroup` would spread the demo summit's tests all the same (each worker loads that demo once).
exec .venv/bin/python -m pytest -n "$WORKERS" --dist load "$@"
