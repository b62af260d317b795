#!/usr/bin/env bash
# Refresh a feature's French catalog from its source: scripts/update-catalog.sh [FOLDER] (default: app).
# The app-wide catalog (app/translations) covers everything outside sub-features with their own catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC="${1:-app}"
OUT="$SRC/translations"
[ "$SRC" = "app" ] && OUT="app/translations"
# Sub-features with a catalog of their own are left to it.
IGNORE=".* ._"
for own in $(find "$SRC" -mindepth 2 -type d -name translations -not -path "$OUT"); do
  IGNORE="$IGNORE $(basename "$(dirname "$own")")"
done
.venv/bin/pybabel extract --ignore-dirs="$IGNORE" -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location --sort-output \
  -o /tmp/mediane-messages.pot "$SRC" >/dev/null
.venv/bin/pybabel update -N --no-wrap -i /tmp/mediane-messages.pot -d "$OUT" -l fr --ignore-obsolete
.venv/bin/python - "$OUT/fr/LC_MESSAGES/messages.po" <<'PY'
import sys
from babel.messages.pofile import read_po
catalog = read_po(open(sys.argv[1], "rb"))
missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
print(f"{len(missing)} untranslated in {sys.argv[1]}")
for msgid in missing:
    print("  ", msgid)
PY
