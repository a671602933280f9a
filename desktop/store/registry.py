"""The document registry in SQLite: knowledge bases and the state of every document.

Blocking: call from an executor. One connection guarded by a lock, so executor threads can
share it; WAL mode so readers are not blocked by a writer in another process. Writes use
`BEGIN IMMEDIATE` so a transaction either takes the write lock at once or fails cleanly.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    ReadingNotes,
)
from desktop.core.errors import KnowledgeBaseNotFound, StoreError
from desktop.store.sqlite import SqliteFile

log = logging.getLogger(__name__)

_COMPONENT = "registry"
_NOT_READY = tuple(s.value for s in DocumentStatus if s is not DocumentStatus.READY)
_NOT_READY_MARKS = ",".join("?" * len(_NOT_READY))

# Each entry moves the schema one version up; never edit a released entry, append a new one.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE knowledge_bases (
            name TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            embedder_id TEXT NOT NULL,
            dimension INTEGER NOT NULL,
            collection_name TEXT NOT NULL UNIQUE,
            pending_collection TEXT NOT NULL DEFAULT '',
            pending_embedder_id TEXT NOT NULL DEFAULT '',
            pending_dimension INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL
        )""",
        """CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            kb TEXT NOT NULL REFERENCES knowledge_bases(name) ON DELETE CASCADE,
            path TEXT NOT NULL,
            content_hash TEXT NOT NULL DEFAULT '',
            mtime REAL NOT NULL DEFAULT 0,
            size INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('queued', 'indexing', 'ready', 'failed')),
            error TEXT NOT NULL DEFAULT '',
            chunk_count INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            UNIQUE (kb, path)
        )""",
        "CREATE INDEX documents_by_status ON documents(kb, status)",
        # Document ids whose rows are gone but whose chunks may still be in an index.
        """CREATE TABLE removals (
            doc_id TEXT PRIMARY KEY,
            kb TEXT NOT NULL
        )""",
        # Collections and lexical folders to delete (after a knowledge base was removed or an
        # embedder swap finished); kept here so a crash does not leave them behind forever.
        """CREATE TABLE pending_drops (
            kind TEXT NOT NULL CHECK (kind IN ('collection', 'lexical')),
            name TEXT NOT NULL,
            PRIMARY KEY (kind, name)
        )""",
    ),
    # How each document's text was read: pages read by OCR, those of low confidence
    # (comma-separated page numbers), a repaired text encoding.
    (
        "ALTER TABLE documents ADD COLUMN ocr_pages TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE documents ADD COLUMN uncertain_pages TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE documents ADD COLUMN repaired INTEGER NOT NULL DEFAULT 0",
    ),
)


class SqliteRegistry:
    """Knowledge bases and documents persisted in one SQLite file (shared with chat history).

    Implements `desktop.core.ports.DocumentRegistry`.

    Args:
        db_path: the SQLite file (created with its folder when missing).
        busy_timeout: seconds to wait for another program's write lock before failing.
    """

    def __init__(self, db_path: Path, *, busy_timeout: float = 10.0) -> None:
        self._path = db_path
        self._lock = threading.RLock()
        self._file = SqliteFile(
            db_path,
            "the document list",
            "Move that file aside (or restore a backup) and start Hearth again; "
            "your documents will need to be added again.",
        )
        self._conn = self._file.connect(busy_timeout=busy_timeout)
        self._migrate()

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._file.errors():
            yield self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._file.transaction(self._conn) as conn:
            yield conn

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_versions ("
                "component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            row = db.execute(
                "SELECT version FROM schema_versions WHERE component = ?", (_COMPONENT,)
            ).fetchone()
            version = int(row["version"]) if row else 0
            if version > len(_MIGRATIONS):
                raise StoreError(
                    f"The document list in {self._path} was written by a newer Hearth.",
                    "Update Hearth, or start it with another data folder.",
                )
            for statements in _MIGRATIONS[version:]:
                for statement in statements:
                    db.execute(statement)
            if version < len(_MIGRATIONS):
                log.info("registry schema %d -> %d", version, len(_MIGRATIONS))
                db.execute(
                    "INSERT OR REPLACE INTO schema_versions(component, version) VALUES (?, ?)",
                    (_COMPONENT, len(_MIGRATIONS)),
                )

    # ---- knowledge bases ----------------------------------------------------------------

    def create_kb(self, name: str, embedder_id: str, dimension: int) -> KnowledgeBaseRecord:
        with self._write() as db:
            if _kb_row(db, name) is not None:
                raise StoreError(
                    f"A knowledge base named “{name}” already exists.", "Choose another name."
                )
            return _insert_kb(db, name, embedder_id, dimension)

    def ensure_kb(self, name: str, embedder_id: str, dimension: int) -> KnowledgeBaseRecord:
        with self._write() as db:
            row = _kb_row(db, name)
            if row is not None:
                return _kb(row)
            return _insert_kb(db, name, embedder_id, dimension)

    def get_kb(self, name: str) -> KnowledgeBaseRecord:
        with self._read() as db:
            row = _kb_row(db, name)
        if row is None:
            raise _not_found(name)
        return _kb(row)

    def list_kbs(self) -> list[KnowledgeBaseRecord]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM knowledge_bases ORDER BY name").fetchall()
        return [_kb(row) for row in rows]

    def delete_kb(self, name: str) -> None:
        with self._write() as db:
            row = _kb_row(db, name)
            if row is None:
                raise _not_found(name)
            drops = [("collection", str(row["collection_name"])), ("lexical", str(row["key"]))]
            if row["pending_collection"]:
                drops.append(("collection", str(row["pending_collection"])))
            db.executemany("INSERT OR IGNORE INTO pending_drops(kind, name) VALUES (?, ?)", drops)
            db.execute("DELETE FROM removals WHERE kb = ?", (name,))
            db.execute("DELETE FROM knowledge_bases WHERE name = ?", (name,))

    def rename_kb(self, name: str, new_name: str) -> KnowledgeBaseRecord:
        with self._write() as db:
            if _kb_row(db, name) is None:
                raise _not_found(name)
            if _kb_row(db, new_name) is not None:
                raise StoreError(
                    f"A knowledge base named “{new_name}” already exists.", "Choose another name."
                )
            # The documents point at the old name until the end of this transaction; the
            # index folder and collection keep their keys, so nothing is moved on disk.
            db.execute("PRAGMA defer_foreign_keys = ON")
            db.execute("UPDATE knowledge_bases SET name = ? WHERE name = ?", (new_name, name))
            db.execute("UPDATE documents SET kb = ? WHERE kb = ?", (new_name, name))
            db.execute("UPDATE removals SET kb = ? WHERE kb = ?", (new_name, name))
            return _kb_by_name(db, new_name)

    def begin_swap(self, name: str, embedder_id: str, dimension: int) -> KnowledgeBaseRecord:
        with self._write() as db:
            row = _kb_row(db, name)
            if row is None:
                raise _not_found(name)
            if row["pending_collection"]:
                # A swap interrupted earlier: its half-filled collection is of no use.
                db.execute(
                    "INSERT OR IGNORE INTO pending_drops(kind, name) VALUES ('collection', ?)",
                    (row["pending_collection"],),
                )
            db.execute(
                "UPDATE knowledge_bases SET pending_collection = ?, pending_embedder_id = ?,"
                " pending_dimension = ? WHERE name = ?",
                (_collection_name(str(row["key"])), embedder_id, dimension, name),
            )
            return _kb_by_name(db, name)

    def finish_swap(self, name: str) -> KnowledgeBaseRecord:
        with self._write() as db:
            row = _kb_row(db, name)
            if row is None:
                raise _not_found(name)
            if not row["pending_collection"]:
                raise StoreError(f"No new embedder is being prepared for “{name}”.")
            db.execute(
                "INSERT OR IGNORE INTO pending_drops(kind, name) VALUES ('collection', ?)",
                (row["collection_name"],),
            )
            db.execute(
                "UPDATE knowledge_bases SET collection_name = pending_collection,"
                " embedder_id = pending_embedder_id, dimension = pending_dimension,"
                " pending_collection = '', pending_embedder_id = '', pending_dimension = 0"
                " WHERE name = ?",
                (name,),
            )
            return _kb_by_name(db, name)

    def abandon_swap(self, name: str) -> None:
        with self._write() as db:
            row = _kb_row(db, name)
            if row is None or not row["pending_collection"]:
                return
            db.execute(
                "INSERT OR IGNORE INTO pending_drops(kind, name) VALUES ('collection', ?)",
                (row["pending_collection"],),
            )
            db.execute(
                "UPDATE knowledge_bases SET pending_collection = '', pending_embedder_id = '',"
                " pending_dimension = 0 WHERE name = ?",
                (name,),
            )

    def pending_drops(self) -> list[tuple[str, str]]:
        with self._read() as db:
            rows = db.execute("SELECT kind, name FROM pending_drops ORDER BY kind, name")
            return [(str(r["kind"]), str(r["name"])) for r in rows.fetchall()]

    def drop_done(self, kind: str, name: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM pending_drops WHERE kind = ? AND name = ?", (kind, name))

    # ---- documents ----------------------------------------------------------------------

    def get_document(self, kb: str, path: str) -> DocumentRecord | None:
        with self._read() as db:
            row = db.execute(
                "SELECT * FROM documents WHERE kb = ? AND path = ?", (kb, path)
            ).fetchone()
        return _document(row) if row else None

    def documents(
        self, kb: str, statuses: Collection[DocumentStatus] | None = None
    ) -> list[DocumentRecord]:
        sql = "SELECT * FROM documents WHERE kb = ?"
        args: list[Any] = [kb]
        if statuses is not None:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            args.extend(str(s) for s in statuses)
        with self._read() as db:
            rows = db.execute(sql + " ORDER BY path", args).fetchall()
        return [_document(row) for row in rows]

    def add_queued(self, kb: str, paths: Sequence[str]) -> list[DocumentRecord]:
        now = time.time()
        created: list[DocumentRecord] = []
        with self._write() as db:
            if _kb_row(db, kb) is None:
                raise _not_found(kb)
            for path in paths:
                doc_id = uuid.uuid4().hex[:16]
                cur = db.execute(
                    "INSERT OR IGNORE INTO documents(doc_id, kb, path, status, updated_at)"
                    " VALUES (?, ?, ?, 'queued', ?)",
                    (doc_id, kb, path, now),
                )
                if cur.rowcount:
                    created.append(
                        DocumentRecord(doc_id, kb, path, "", 0.0, 0, DocumentStatus.QUEUED)
                    )
        return created

    def set_status(self, doc_ids: Collection[str], status: DocumentStatus, error: str = "") -> None:
        now = time.time()
        with self._write() as db:
            db.executemany(
                "UPDATE documents SET status = ?, error = ?, updated_at = ? WHERE doc_id = ?",
                [(str(status), error, now, doc_id) for doc_id in doc_ids],
            )

    def mark_ready(
        self,
        docs: Sequence[tuple[str, str, float, int, int]],
        notes: Mapping[str, ReadingNotes] | None = None,
    ) -> None:
        now = time.time()
        notes = notes or {}
        rows = []
        for doc_id, h, mtime, size, n in docs:
            note = notes.get(doc_id, ReadingNotes())
            ocr, uncertain = _pages(note.ocr_pages), _pages(note.uncertain_pages)
            rows.append((h, mtime, size, n, ocr, uncertain, int(note.repaired), now, doc_id))
        with self._write() as db:
            db.executemany(
                "UPDATE documents SET status = 'ready', error = '', content_hash = ?, mtime = ?,"
                " size = ?, chunk_count = ?, ocr_pages = ?, uncertain_pages = ?, repaired = ?,"
                " updated_at = ? WHERE doc_id = ?",
                rows,
            )

    def touch(self, doc_id: str, mtime: float, size: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE documents SET mtime = ?, size = ? WHERE doc_id = ?", (mtime, size, doc_id)
            )

    def begin_removal(self, doc_ids: Collection[str]) -> None:
        with self._write() as db:
            for doc_id in doc_ids:
                row = db.execute("SELECT kb FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
                if row is None:
                    continue
                db.execute(
                    "INSERT OR IGNORE INTO removals(doc_id, kb) VALUES (?, ?)", (doc_id, row["kb"])
                )
                db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def pending_removals(self, kb: str) -> set[str]:
        with self._read() as db:
            rows = db.execute("SELECT doc_id FROM removals WHERE kb = ?", (kb,)).fetchall()
        return {str(r["doc_id"]) for r in rows}

    def finish_removal(self, doc_ids: Collection[str]) -> None:
        with self._write() as db:
            db.executemany("DELETE FROM removals WHERE doc_id = ?", [(d,) for d in doc_ids])

    def hidden_doc_ids(self, kb: str) -> set[str]:
        with self._read() as db:
            # Every status but ready, named, so the (kb, status) index finds them without
            # reading every ready row (each search asks).
            rows = db.execute(
                f"SELECT doc_id FROM documents WHERE kb = ? AND status IN ({_NOT_READY_MARKS})"  # noqa: S608 - placeholders only
                " UNION SELECT doc_id FROM removals WHERE kb = ?",
                (kb, *_NOT_READY, kb),
            ).fetchall()
        return {str(r["doc_id"]) for r in rows}

    def ready_doc_ids(self, kb: str) -> set[str]:
        with self._read() as db:
            rows = db.execute(
                "SELECT doc_id FROM documents WHERE kb = ? AND status = 'ready'", (kb,)
            ).fetchall()
        return {str(r["doc_id"]) for r in rows}

    def status_counts(self, kb: str) -> dict[DocumentStatus, int]:
        with self._read() as db:
            rows = db.execute(
                "SELECT status, COUNT(*) AS n FROM documents WHERE kb = ? GROUP BY status", (kb,)
            ).fetchall()
        return {DocumentStatus(str(r["status"])): int(r["n"]) for r in rows}

    def chunk_total(self, kb: str) -> int:
        with self._read() as db:
            row = db.execute(
                "SELECT COALESCE(SUM(chunk_count), 0) AS n FROM documents"
                " WHERE kb = ? AND status = 'ready'",
                (kb,),
            ).fetchone()
        return int(row["n"])


def _kb_row(db: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM knowledge_bases WHERE name = ?", (name,)
    ).fetchone()
    return row


def _kb_by_name(db: sqlite3.Connection, name: str) -> KnowledgeBaseRecord:
    row = _kb_row(db, name)
    if row is None:
        raise _not_found(name)
    return _kb(row)


def _insert_kb(
    db: sqlite3.Connection, name: str, embedder_id: str, dimension: int
) -> KnowledgeBaseRecord:
    key = _kb_key(name)
    db.execute(
        "INSERT INTO knowledge_bases(name, key, embedder_id, dimension, collection_name,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (name, key, embedder_id, dimension, _collection_name(key), time.time()),
    )
    return _kb_by_name(db, name)


def _kb_key(name: str) -> str:
    """A filesystem- and Chroma-safe id: a readable slug of the name plus a random part, since
    names may be in any script and two names may share a slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:24] or "kb"
    return f"{slug}-{uuid.uuid4().hex[:8]}"


def _collection_name(key: str) -> str:
    # Each embedder gets a fresh collection, so a swap never writes into the live one.
    return f"hearth-{key}-{uuid.uuid4().hex[:8]}"


def _kb(row: sqlite3.Row) -> KnowledgeBaseRecord:
    return KnowledgeBaseRecord(
        name=str(row["name"]),
        key=str(row["key"]),
        embedder_id=str(row["embedder_id"]),
        dimension=int(row["dimension"]),
        collection_name=str(row["collection_name"]),
        created_at=float(row["created_at"]),
        pending_collection=str(row["pending_collection"]),
        pending_embedder_id=str(row["pending_embedder_id"]),
        pending_dimension=int(row["pending_dimension"]),
    )


def _document(row: sqlite3.Row) -> DocumentRecord:
    return DocumentRecord(
        doc_id=str(row["doc_id"]),
        kb=str(row["kb"]),
        path=str(row["path"]),
        content_hash=str(row["content_hash"]),
        mtime=float(row["mtime"]),
        size=int(row["size"]),
        status=DocumentStatus(str(row["status"])),
        error=str(row["error"]),
        chunk_count=int(row["chunk_count"]),
        notes=ReadingNotes(
            _page_numbers(row["ocr_pages"]),
            _page_numbers(row["uncertain_pages"]),
            bool(row["repaired"]),
        ),
    )


def _pages(numbers: Sequence[int]) -> str:
    return ",".join(str(n) for n in numbers)


def _page_numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split(",") if n)


def _not_found(name: str) -> KnowledgeBaseNotFound:
    return KnowledgeBaseNotFound(
        f"There is no knowledge base named “{name}”.", "List them with `hearth kb list`."
    )
