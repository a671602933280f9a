"""A disk that fills up while Hearth writes: a clear message, nothing saved before is lost,
and once space is freed the same files index completely (from the command line and within
one running process, as in the window). The disk is a real, small tmpfs in a private mount
namespace (`unshare`), so the store sees a genuine ENOSPC."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT
from tests.integration.hardening.test_crash_safety import corpus

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]


def can_mount_tmpfs(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    result = subprocess.run(
        ["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def test_a_full_disk_fails_clearly_keeps_what_was_saved_and_recovers(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("this machine cannot mount a private tmpfs (unshare -rm)")
    docs = tmp_path / "docs"
    corpus(docs)
    result = subprocess.run(
        [
            "unshare",
            "-rm",
            sys.executable,
            "-m",
            "tests.integration.hardening.disk_full_driver",
            str(tmp_path / "disks"),
            str(docs),
        ],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=850,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])

    cli = report["cli"]
    assert cli["full"]["code"] == 1
    stderr = cli["full"]["stderr"]
    assert "error: The disk is full: " in stderr and " MB free)." in stderr
    assert "hint: Free some space on that disk" in stderr
    assert "Traceback" not in stderr
    assert cli["again"]["code"] == 0, cli["again"]["stderr"]
    assert cli["audit"]["consistent"], cli["audit"]["problems"]
    assert cli["audit"]["ready"] == 40

    window = report["window"]
    assert window["error"] is not None and window["error"]["kind"] == "DiskFull"
    assert window["error"]["message"].startswith("The disk is full: ")
    assert window["ready_after_failure"] > 0, "documents finished before the disk filled stay"
    assert window["failed_again"] == 0
    # The second run in the same process repairs the first one's leftovers and finishes.
    assert window["again"]["ready"] + window["ready_after_failure"] == 40
    assert window["audit"]["consistent"], window["audit"]["problems"]
    assert window["audit"]["ready"] == 40
