"""One writer per data folder: an OS file lock that a second Hearth process cannot take.

chromadb's embedded store keeps its vector index in memory and writes it back, so two
processes writing the same folder lose each other's vectors (readers beside one writer are
safe). The lock is advisory and held by the operating system, so a process that dies
(even by SIGKILL) releases it at once; a small JSON file beside it says who holds it, so
the process that is refused can name the holder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from desktop.core.errors import StoreBusy, StoreError

log = logging.getLogger(__name__)

LOCK_NAME = "store.lock"
OWNER_NAME = "store.owner.json"


class StoreLock:
    """The data folder's write lock.

    Args:
        data_dir: the folder that holds the stores.
        holder: who this process is, in words ("the Hearth window", "hearth ingest").
    """

    def __init__(self, data_dir: Path, holder: str) -> None:
        self.data_dir = data_dir
        self.holder = holder
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True when this process holds it.

        Raises:
            StoreError: the lock file cannot be created (the folder is not writable).
        """
        if self._file is not None:
            return True
        path = self.data_dir / LOCK_NAME
        try:
            file = open(path, "a+b")  # noqa: SIM115 - held open for the life of the lock
        except OSError as exc:
            raise StoreError(
                f"Hearth cannot create its lock file {path}: {exc.strerror or exc}.",
                "Check that the data folder is writable.",
            ) from None
        if not _lock(file):
            file.close()
            return False
        self._file = file
        owner = {"pid": os.getpid(), "holder": self.holder, "since": time.time()}
        try:
            (self.data_dir / OWNER_NAME).write_text(json.dumps(owner), encoding="utf-8")
        except OSError as exc:  # the lock itself is what matters; the note is a courtesy
            log.warning("could not write %s: %s", OWNER_NAME, exc.strerror or exc)
        log.info("store lock taken by %s", self.holder)
        return True

    def busy_error(self) -> StoreBusy:
        """The error for a write refused because another process holds the lock."""
        owner = read_owner(self.data_dir)
        who = "another Hearth process"
        if owner is not None:
            since = time.strftime("%H:%M", time.localtime(owner.since))
            who = f"{owner.holder} (process {owner.pid}, since {since})"
        return StoreBusy(
            f"The knowledge store in {self.data_dir} is being changed by {who}; "
            "Hearth lets one process at a time change it.",
            "Wait for it to finish, or close it, and try again. To add files to an open "
            "Hearth window, drop them on it or run: hearth FILE...",
        )

    def release(self) -> None:
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            (self.data_dir / OWNER_NAME).unlink()
        self._file.close()  # closing the file releases the OS lock
        self._file = None
        log.info("store lock released by %s", self.holder)


@dataclass(frozen=True, slots=True)
class Owner:
    pid: int
    holder: str
    since: float


def read_owner(data_dir: Path) -> Owner | None:
    """Who holds the lock, as written by the holder (None: unknown)."""
    try:
        data = json.loads((data_dir / OWNER_NAME).read_text(encoding="utf-8"))
        return Owner(int(data["pid"]), str(data["holder"]), float(data["since"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _lock(file: IO[bytes]) -> bool:
    """Lock the file without waiting; False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        file.seek(0)
        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
