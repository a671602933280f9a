"""One policy for Hearth's SQLite files (the registry, the chat history, the keyword indexes).

Connections: write-ahead log, foreign keys on, a busy timeout for another program's write
lock, autocommit mode (transactions are explicit: `transaction`), usable from any thread
(each owner serialises its calls with its own lock), rows as `sqlite3.Row`.
Errors: `store_error` turns a `sqlite3.Error` into a StoreError that names the file and says
what to do (locked, damaged, disk full, unreadable).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import StoreError
from desktop.store.disk import disk_full

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class SqliteFile:
    """A SQLite file and how to speak of it to a person.

    Attributes:
        path: the file.
        label: what it holds, in words ("the document list").
        damaged_hint: what to do when the file is damaged.
    """

    path: Path
    label: str
    damaged_hint: str

    def connect(self, *, busy_timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
        """Open a connection with the shared policy (raises StoreError)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except (sqlite3.Error, OSError) as exc:
            raise self.error(exc) from exc
        return conn

    @contextmanager
    def transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """`BEGIN IMMEDIATE` ... `COMMIT`; rolled back on any failure, sqlite errors raised
        as StoreError."""
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self.error(exc) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            rollback(conn)
            if isinstance(exc, sqlite3.Error):
                raise self.error(exc) from exc
            raise

    @contextmanager
    def errors(self, what: str = "read or write") -> Iterator[None]:
        """Raise sqlite errors inside the block as StoreError (`what` failed)."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self.error(exc, what) from exc

    def error(self, exc: sqlite3.Error | OSError, what: str = "read or write") -> StoreError:
        """The StoreError for a failure of this file."""
        text = str(exc).lower()
        name = f"{self.label[:1].upper()}{self.label[1:]} {self.path}"
        if "locked" in text or "busy" in text:
            return StoreError(
                f"{name} is locked by another program.",
                "Close other copies of Hearth and try again.",
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return StoreError(
                f"{name} is damaged; Hearth has left it untouched.", self.damaged_hint
            )
        if (full := disk_full(self.path.parent, exc, self.label)) is not None:
            return full
        if "disk i/o" in text or "unable to open" in text or isinstance(exc, OSError):
            return StoreError(
                f"{name} could not be {_participle(what)} ({exc}).",
                "Check that the data folder exists, is writable, and that the disk is healthy.",
            )
        log.error("%s failure on %s: %s", self.label, self.path, exc)
        return StoreError(f"{name} could not be {_participle(what)} ({exc}).", self.damaged_hint)


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already done so."""
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        # SQLite may already have rolled back (disk full, I/O error); nothing is left open.
        log.debug("rollback after failure: %s", exc)


def _participle(what: str) -> str:
    done = {"read or write": "read or written", "write": "written", "open": "opened"}
    return done.get(what, f"{what.removesuffix('e')}ed")
