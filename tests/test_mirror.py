"""tests/unit mirrors desktop/: tests/unit/<package>/test_<module>.py tests
desktop/<package>/<module>.py, and tests/unit/test_<module>.py tests desktop/<module>.py."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "tests" / "unit"
DESKTOP = ROOT / "desktop"

pytestmark = pytest.mark.unit


def mirrored_module(test_file: Path) -> Path:
    """The module under desktop/ that a unit test file's place names."""
    relative = test_file.relative_to(UNIT)
    return DESKTOP.joinpath(*relative.parts[:-1], relative.name.removeprefix("test_"))


def test_every_unit_test_file_names_an_existing_module() -> None:
    test_files = sorted(UNIT.rglob("test_*.py"))
    assert test_files, f"no unit tests found under {UNIT}"
    strays = [
        f"{path.relative_to(ROOT)} (no {mirrored_module(path).relative_to(ROOT)})"
        for path in test_files
        if not mirrored_module(path).is_file()
    ]
    assert not strays, "unit tests that mirror no module: " + ", ".join(strays)


def test_every_unit_folder_is_a_package_of_the_app() -> None:
    folders = sorted(p for p in UNIT.rglob("*") if p.is_dir() and p.name != "__pycache__")
    strays = [
        str(folder.relative_to(ROOT))
        for folder in folders
        if not (DESKTOP / folder.relative_to(UNIT) / "__init__.py").is_file()
    ]
    assert not strays, "unit test folders with no desktop package: " + ", ".join(strays)
