"""Audit the pinned dependency set against published vulnerabilities.

    python scripts/audit_deps.py [REQUIREMENTS]      (default: packaging/requirements.lock)

Runs pip-audit against the package index's vulnerability data for every pin in the file.
Exit status: 0 when no pin has a known vulnerability; 1 when one has (each advisory named
with the versions that fix it); 2 when the audit could not run for some pins (the data
could not be fetched): scripts/check then fails only if HEARTH_AUDIT=required, since a
machine without the index's per-version data must still be able to run the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "packaging" / "requirements.lock"
CLEAN, VULNERABLE, NOT_AUDITED = 0, 1, 2


def verdict(report: dict[str, Any]) -> tuple[int, list[str]]:
    """The exit status and the lines to print for a pip-audit JSON report."""
    found: list[str] = []
    skipped: list[str] = []
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped.append(f"{dependency['name']}: {dependency['skip_reason']}")
        for vuln in dependency.get("vulns", []):
            aliases = ", ".join(vuln.get("aliases", []))
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none yet"
            found.append(
                f"{dependency['name']} {dependency['version']}: {vuln['id']}"
                f"{f' ({aliases})' if aliases else ''}, fixed in {fixes}"
            )
    if found:
        return VULNERABLE, ["Known vulnerabilities in pinned dependencies:", *found]
    if skipped:
        more = [f"… and {len(skipped) - 5} more"] if len(skipped) > 5 else []
        return NOT_AUDITED, [f"Audit could not check {len(skipped)} pins:", *skipped[:5], *more]
    count = len(report.get("dependencies", []))
    return CLEAN, [f"No known vulnerabilities in {count} pinned dependencies."]


def audit(requirements: Path) -> tuple[int, list[str]]:
    """Run pip-audit over a requirements file (pins only: the file is the whole set)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return NOT_AUDITED, ["pip-audit gave no report:", result.stderr.strip()[-2000:]]
    return verdict(report)


def main() -> int:
    requirements = Path(sys.argv[1]) if len(sys.argv) > 1 else LOCK
    status, lines = audit(requirements)
    print("\n".join(lines), file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())
