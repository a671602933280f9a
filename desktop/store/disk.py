"""Telling a full disk apart from other store failures.

SQLite says "database or disk is full"; chromadb's embedded store reports a full disk only
as a failed compaction. So a failed write is blamed on the disk when the error says so, or
when the folder's disk has almost no space left.
"""

from __future__ import annotations

import errno
import logging
import shutil
from pathlib import Path

from desktop.core.errors import DiskFull

log = logging.getLogger(__name__)

# With less free space than this, a failed write is taken to be the disk's fault.
LOW_SPACE_BYTES = 8 * 1024 * 1024
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FULL_WORDS = ("disk is full", "no space left", "disk full", "quota exceeded")


def disk_full(folder: Path, exc: BaseException, what: str) -> DiskFull | None:
    """The DiskFull error for a failure of `what` (in words) stored in `folder`, or None
    when the failure is not for lack of space."""
    free = free_bytes(folder)
    if not _says_full(exc) and (free is None or free >= LOW_SPACE_BYTES):
        return None
    left = f" ({free / 1_048_576:.1f} MB free)" if free is not None else ""
    log.error("disk full: %s in %s could not be saved%s: %s", what, folder, left, exc)
    return DiskFull(
        f"The disk is full: {what} in {folder} could not be saved{left}.",
        "Free some space on that disk (or move Hearth's data with --data-dir), then try "
        "again. What was saved before is kept.",
    )


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk holding `folder` (its nearest existing parent); None if unknown."""
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def _says_full(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if any(word in str(exc).lower() for word in _FULL_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False
