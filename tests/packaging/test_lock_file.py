"""The bundle's lock file covers every runtime dependency, each pinned with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "packaging" / "requirements.lock"

pytestmark = pytest.mark.unit


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match is not None, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def _pins() -> dict[str, list[str]]:
    """Each pinned name and the hashes listed for it."""
    pins: dict[str, list[str]] = {}
    current = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if pinned := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+", line):
            current = _name(pinned.group(1))
            pins[current] = []
        elif hashed := re.search(r"--hash=sha256:([0-9a-f]{64})", line):
            pins[current].append(hashed.group(1))
    return pins


def test_every_runtime_dependency_is_pinned_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(requirement) for requirement in project["project"]["dependencies"]}
    pins = _pins()
    assert wanted - set(pins) == set(), "regenerate packaging/requirements.lock"
    assert [name for name, hashes in pins.items() if not hashes] == []
    assert len(pins) > len(wanted)  # the dependencies' own dependencies are pinned too
