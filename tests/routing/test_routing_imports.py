import re
import subprocess
import sys


def test_importing_routing_loads_no_web_stack():
    code = (
        "import sys, routing, routing.cli, routing.bench, routing.generate\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'app', 'werkzeug')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_only_bound_imports_ortools():
    from pathlib import Path

    import routing

    pkg = Path(routing.__file__).parent
    pattern = re.compile(r"^\s*(import|from)\s+ortools", re.M)
    users = sorted(p.name for p in pkg.glob("*.py") if pattern.search(p.read_text()))
    assert users == ["bound.py"]
