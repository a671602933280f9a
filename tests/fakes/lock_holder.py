"""A stand-in for another Hearth process: a real process that holds a data folder's write
lock (as `hearth ingest` would) until it is killed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_HOLD = """
import sys, time
from pathlib import Path
from desktop.infra.store_lock import StoreLock
lock = StoreLock(Path(sys.argv[1]), sys.argv[2])
assert lock.try_acquire()
print("held", flush=True)
time.sleep(300)
"""


@contextmanager
def lock_holder(data_dir: Path, role: str = "hearth ingest") -> Iterator[subprocess.Popen[str]]:
    """Yield a process holding `data_dir`'s write lock; it is killed (SIGKILL) on exit."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(data_dir), role],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.communicate(timeout=30)
