"""The import layers (.importlinter, checked by lint-imports in scripts/test.sh) name every package of app/."""
import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_layers_contract_names_every_package_of_the_app_and_the_libraries():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    assert config["importlinter"]["root_packages"].split() == ["app", "routing", "badges", "schedules"]
    layers = config["importlinter:contract:layers"]["layers"]
    named = [name.strip("() ") for name in re.split(r"[|:\n]", layers) if name.strip()]
    app = ROOT / "app"
    children = {f"app.{path.parent.name}" for path in app.glob("*/__init__.py")} | \
        {f"app.{path.stem}" for path in app.glob("*.py") if path.stem != "__init__"}
    assert sorted(named) == sorted(children | {"routing", "badges", "schedules"})
