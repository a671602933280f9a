"""Fill a real disk under Hearth, then free space: run as
`unshare -rm python -m tests.integration.hardening.disk_full_driver WORK DOCS`.

Inside its own mount namespace the driver mounts small tmpfs disks under WORK, so the disk
really runs out (ENOSPC) while Hearth writes; growing the tmpfs afterwards is "freeing
space". It prints one JSON object with what happened:

- "cli": `hearth ingest` on a full disk (exit code, stderr), then again after space was
  freed, then the store audit.
- "window": the same in one process, the way the window works: the first ingestion fails,
  the second (after freeing space) in the same process repairs and finishes.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.app import Services, bootstrap
from desktop.core.documents import DocumentStatus
from desktop.core.errors import AppError
from tests.integration.hardening.test_crash_safety import audit

ROOT = Path(__file__).resolve().parents[3]
SMALL, LARGE = "3m", "40m"


def mount(point: Path, size: str, *, remount: bool = False) -> None:
    point.mkdir(parents=True, exist_ok=True)
    options = f"remount,size={size}" if remount else f"size={size}"
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)


def hearth(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEARTH_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def cli(work: Path, docs: Path) -> dict[str, object]:
    disk = work / "cli"
    mount(disk, SMALL)
    full = hearth(["ingest", str(docs)], disk / "data")
    mount(disk, LARGE, remount=True)
    again = hearth(["ingest", str(docs)], disk / "data")
    return {
        "full": {"code": full.returncode, "stderr": full.stderr},
        "again": {"code": again.returncode, "stderr": again.stderr[-2000:]},
        "audit": audit(disk / "data", dict(os.environ)),
    }


async def window(work: Path, docs: Path) -> dict[str, object]:
    disk = work / "window"
    mount(disk, SMALL)
    ctx = bootstrap(str(disk / "data"))
    result: dict[str, object] = {}
    async with await Services.open(ctx) as services:
        knowledge = await services.knowledge()
        try:
            await knowledge.ingest.ingest([docs], "default")
            result["error"] = None
        except AppError as exc:
            result["error"] = {"kind": exc.kind, "message": exc.message, "hint": exc.hint}
        counts = knowledge.registry.status_counts("default")
        result["ready_after_failure"] = counts.get(DocumentStatus.READY, 0)
        mount(disk, LARGE, remount=True)
        summary = await knowledge.ingest.ingest([docs], "default")
        result["again"] = {"ready": summary.ready, "skipped": summary.skipped}
        result["failed_again"] = summary.failed
    result["audit"] = audit(disk / "data", dict(os.environ))
    return result


def main() -> None:
    work, docs = Path(sys.argv[1]), Path(sys.argv[2])
    report = {"cli": cli(work, docs), "window": asyncio.run(window(work, docs))}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
