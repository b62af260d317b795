"""The audit rows the app's code can write, read from its source: every `audit.record(...)` call, its action (a
string, an `a if x else b` of strings, an f-string whose placeholders are resolved from the strings assigned to
them in the same function) and the keys of its `details=` dict when it is written out."""
from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "app"


@dataclass
class AuditCall:
    where: str                       # "app/leads/devices.py:55"
    actions: set[str] = field(default_factory=set)
    #: The f-string's pattern ("registration.{reason}") when a placeholder could not be resolved.
    unresolved: str = ""
    #: The keys of `details=` when it is a dict display (None when it is built elsewhere).
    detail_keys: set[str] | None = None
    details_source: str = ""


def _strings(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> set[str] | None:
    """Every string `node` can be, or None when one cannot be known from the function's own text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, other = _strings(node.body, assigned), _strings(node.orelse, assigned)
        return None if body is None or other is None else body | other
    if isinstance(node, ast.Name) and node.id in assigned:
        found: set[str] = set()
        for value in assigned[node.id]:
            strings = _strings(value, {})
            if strings is None:
                return None
            found |= strings
        return found
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            part = _strings(value.value if isinstance(value, ast.FormattedValue) else value, assigned)
            if part is None:
                return None
            parts.append(sorted(part))
        return {"".join(combo) for combo in itertools.product(*parts)}
    return None


def _assignments(function: ast.AST) -> dict[str, list[ast.AST]]:
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    return assigned


def _is_record(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr == "record" and isinstance(func.value, ast.Name) \
        and func.value.id == "audit"


def audit_calls() -> list[AuditCall]:
    calls = []
    for path in sorted(APP_DIR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        module_names: dict[str, list[ast.AST]] = {}
        for node in tree.body:  # module constants: EXPORT = "audit.export"
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        module_names.setdefault(target.id, []).append(node.value)
        for function in functions:
            assigned = {**module_names, **_assignments(function)}
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and _is_record(node)):
                    continue
                where = f"{path.relative_to(APP_DIR.parent)}:{node.lineno}"
                call = AuditCall(where)
                strings = _strings(node.args[0], assigned)
                if strings is None:
                    call.unresolved = ast.unparse(node.args[0])
                else:
                    call.actions = strings
                details = next((k.value for k in node.keywords if k.arg == "details"), None)
                if details is not None:
                    call.details_source = ast.unparse(details)
                    if isinstance(details, ast.Dict) and all(isinstance(k, ast.Constant) for k in details.keys):
                        call.detail_keys = {k.value for k in details.keys}
                calls.append(call)
    # A nested function's call is seen from its outer function too: keep one per place.
    return list({c.where: c for c in calls}.values())
