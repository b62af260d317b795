#!/usr/bin/env bash
# Shared by demo.sh and test.sh: a virtualenv with the pinned requirements, compiled translations.
# Usage: source scripts/setup.sh REQUIREMENTS_FILE
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Médiane needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtualenv in .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> Installing $1"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
export FLASK_APP=wsgi
.venv/bin/flask translations compile
