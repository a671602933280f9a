"""Every import in desktop/ is one the layering contracts (`lint-imports`) can see: no module
is loaded by a name in a string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[1] / "desktop"

pytestmark = pytest.mark.unit


def dynamic_imports(path: Path) -> list[str]:
    """Where one source file uses `importlib.import_module` or `__import__` (called, or
    handed on to be called, as to a worker thread)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.ImportFrom):
            name = next((a.name for a in node.names if a.name == "import_module"), "")
        else:
            continue
        if name in ("import_module", "__import__"):
            found.append(f"{path.relative_to(DESKTOP.parent)}:{node.lineno}")
    return found


def test_no_module_is_imported_by_name() -> None:
    sources = sorted(DESKTOP.rglob("*.py"))
    assert len(sources) > 50
    found = [where for path in sources for where in dynamic_imports(path)]
    assert not found, "imports the layering contracts cannot see: " + ", ".join(found)
