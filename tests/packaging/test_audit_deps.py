"""The dependency audit: a vulnerable pin fails with its advisory named."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_deps"] = module
    spec.loader.exec_module(module)
    return module


audit_deps = _load_script()

# pip-audit's JSON report for a vulnerable, a clean and an unreachable pin.
VULNERABLE = {
    "dependencies": [
        {
            "name": "requests",
            "version": "2.19.0",
            "vulns": [
                {
                    "id": "PYSEC-2018-28",
                    "fix_versions": ["2.20.0"],
                    "aliases": ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"],
                    "description": "The Requests package sends an HTTP Authorization header...",
                }
            ],
        },
        {"name": "idna", "version": "3.10", "vulns": []},
    ],
    "fixes": [],
}


@pytest.mark.unit
def test_vulnerable_pin_fails_naming_the_advisory() -> None:
    status, lines = audit_deps.verdict(VULNERABLE)
    assert status == audit_deps.VULNERABLE
    assert lines[1] == (
        "requests 2.19.0: PYSEC-2018-28 (CVE-2018-18074, GHSA-x84v-xcm2-53pg), fixed in 2.20.0"
    )


@pytest.mark.unit
def test_clean_and_unaudited_sets() -> None:
    clean = {"dependencies": [{"name": "idna", "version": "3.10", "vulns": []}]}
    assert audit_deps.verdict(clean) == (
        audit_deps.CLEAN,
        ["No known vulnerabilities in 1 pinned dependencies."],
    )
    skipped = {"dependencies": [{"name": "idna", "skip_reason": "Dependency not found on PyPI"}]}
    status, lines = audit_deps.verdict(skipped)
    assert status == audit_deps.NOT_AUDITED
    assert lines == ["Audit could not check 1 pins:", "idna: Dependency not found on PyPI"]


@pytest.mark.integration
@pytest.mark.network
def test_known_vulnerable_pin_fails_through_pip_audit(tmp_path: Path) -> None:
    """The real pip-audit against the index's data, on an old requests with a published
    advisory. Needs the index's per-version JSON; skipped when that cannot be reached."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("requests==2.19.0\n")
    status, lines = audit_deps.audit(requirements)
    if status == audit_deps.NOT_AUDITED:
        pytest.skip("the vulnerability data could not be fetched: " + " ".join(lines))
    assert status == audit_deps.VULNERABLE
    assert any("CVE-2018-18074" in line for line in lines[1:]), lines
