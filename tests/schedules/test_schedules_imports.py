"""The library stays a library: importing it loads no Flask, no SQLAlchemy, no app."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_schedules_loads_no_web_code():
    code = (
        "import sys, schedules, schedules.ical, schedules.frab, schedules.csv_export, schedules.conflicts\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug', 'app'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
