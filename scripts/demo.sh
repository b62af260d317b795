#!/usr/bin/env bash
# One command: install, migrate, load the demo summit, start the job worker and the web server.
# Environment: PORT (default 5000), DATABASE_URL / REDIS_URL to use PostgreSQL / Redis.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements.txt

PORT="${PORT:-5000}"
mkdir -p instance
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s instance/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' > instance/secret_key
  SECRET_KEY="$(cat instance/secret_key)"
  export SECRET_KEY
fi
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$PORT}"

echo "==> Migrating the database"
.venv/bin/flask db upgrade
# A fresh password on every start, so that the login printed below always works.
DEMO_PASSWORD="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(9))')"
echo "==> Loading the demo summit"
.venv/bin/flask demo --password "$DEMO_PASSWORD"
.venv/bin/flask create-organiser organisation@mediane.demo --password "$DEMO_PASSWORD" >/dev/null
# An API token for the README's curl session, made afresh on every start like the password (the previous one is
# revoked); only its hash is stored, so this is the one time it can be printed.
API_TOKEN="$(.venv/bin/flask api create-token --event sommet-nevers-2027 --name "Session curl du README" \
  --scope registrations:read --replace)"

echo "==> Starting the job worker"
.venv/bin/flask jobs worker --workers 2 > instance/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Médiane is running: http://127.0.0.1:$PORT/
  Organiser login:    organisation@mediane.demo  /  $DEMO_PASSWORD
  Door staff login:   porte@mediane.demo  /  $DEMO_PASSWORD   (check-in and arrivals only, e.g. on a phone)
  Back office:        http://127.0.0.1:$PORT/manage/
  Network:            http://127.0.0.1:$PORT/network/ · city contact innovation@ville-nevers.demo  /  $DEMO_PASSWORD
  API token:          $API_TOKEN   (registrations:read; reference: http://127.0.0.1:$PORT/api/v1/docs)
  (Ctrl-C stops the web server and the worker; worker log in instance/worker.log)

MSG
.venv/bin/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --access-logfile - wsgi:app
