"""Chat history in SQLite: conversations, their messages, and each answer's citations.

Blocking: call from an executor. One connection per thread (SQLite objects are not shared
across threads); WAL mode so the window can read while an answer is being saved.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.core.conversations import (
    Conversation,
    StoredCitation,
    StoredMessage,
    render_conversation,
)
from desktop.core.documents import boxes_from
from desktop.core.errors import StoreError
from desktop.store.sqlite import SqliteFile

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    kb TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    thinking TEXT NOT NULL DEFAULT '',
    provider TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL DEFAULT '[]',
    stats TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id);
"""


class ConversationStore:
    """Conversations persisted in one SQLite file."""

    def __init__(self, db_path: Path) -> None:
        self._path = db_path
        self._lock = threading.RLock()
        self._file = SqliteFile(
            db_path,
            "the chat history",
            "Move that file aside to start a fresh history; your documents are not affected.",
        )
        self._conn = self._file.connect()
        with self._lock, self._file.errors():
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._file.errors():
            yield self._conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._file.transaction(self._conn) as conn:
            yield conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ---- conversations ------------------------------------------------------------------

    def create(self, title: str, kb: str = "") -> Conversation:
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO conversations(title, kb, created_at, updated_at) VALUES (?,?,?,?)",
                (title, kb, now, now),
            )
        return Conversation(int(cur.lastrowid or 0), title, now, now, kb, 0)

    def conversations(self, search: str = "") -> list[Conversation]:
        """Conversations, most recently active first; `search` matches titles and text."""
        sql = (
            "SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS n "
            "FROM conversations c"
        )
        args: tuple[Any, ...] = ()
        if search:
            sql += (
                " WHERE c.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m "
                "WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\')"
            )
            pattern = "%" + _escape_like(search) + "%"
            args = (pattern, pattern)
        sql += " ORDER BY c.updated_at DESC, c.id DESC"
        with self._read() as db:
            rows = db.execute(sql, args).fetchall()
        return [_conversation(row) for row in rows]

    def get(self, conversation_id: int) -> Conversation:
        with self._read() as db:
            row = db.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id)"
                " AS n FROM conversations c WHERE c.id = ?",
                (conversation_id,),
            ).fetchone()
        if row is None:
            raise StoreError(f"Conversation {conversation_id} does not exist.")
        return _conversation(row)

    def rename(self, conversation_id: int, title: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def delete(self, conversation_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def export(self, conversation_id: int, fmt: str = "md") -> str:
        """A conversation as an export file's text ("md" or "json"), the same for the window
        and the command line."""
        return render_conversation(self.get(conversation_id), self.messages(conversation_id), fmt)

    def export_to(self, conversation_id: int, target: Path, fmt: str = "md") -> None:
        """Write a conversation to a file readable by its owner only (0600).

        Raises:
            StoreError: the conversation does not exist or the file cannot be written.
        """
        text = self.export(conversation_id, fmt)
        try:
            fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                if hasattr(os, "fchmod"):  # an existing file keeps its mode otherwise
                    os.fchmod(handle.fileno(), 0o600)
                handle.write(text)
        except OSError as exc:
            raise StoreError(
                f"The conversation could not be saved to {target}: {exc.strerror or exc}.",
                "Choose a folder you can write to.",
            ) from None

    # ---- messages -----------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        provider: str = "",
        model: str = "",
        thinking: str = "",
        error: str = "",
        citations: tuple[StoredCitation, ...] = (),
        stats: dict[str, float] | None = None,
    ) -> StoredMessage:
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO messages(conversation_id, role, content, thinking, provider, model,"
                " error, citations, stats, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    conversation_id,
                    role,
                    content,
                    thinking,
                    provider,
                    model,
                    error,
                    _citations_json(citations),
                    json.dumps(stats or {}),
                    now,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            )
        return StoredMessage(
            int(cur.lastrowid or 0),
            conversation_id,
            role,
            content,
            now,
            provider,
            model,
            thinking,
            error,
            citations,
            dict(stats or {}),
        )

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
            ).fetchall()
        return [_message(row) for row in rows]

    def delete_messages_from(self, conversation_id: int, message_id: int) -> None:
        """Drop a message and everything after it (edit-and-resend, regenerate)."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM messages WHERE conversation_id = ? AND id >= ?",
                (conversation_id, message_id),
            )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _citations_json(citations: tuple[StoredCitation, ...]) -> str:
    return json.dumps(
        [
            {
                "n": c.number,
                "source": c.source,
                "page": c.page,
                "text": c.text,
                "id": c.chunk_id,
                "section": c.section,
                "start": c.start,
                "end": c.end,
                "ocr": c.ocr,
                "regions": [list(box) for box in c.regions],
                "kb": c.kb,
            }
            for c in citations
        ],
        ensure_ascii=False,
    )


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        int(row["id"]),
        str(row["title"]),
        float(row["created_at"]),
        float(row["updated_at"]),
        str(row["kb"]),
        int(row["n"]),
    )


def _message(row: sqlite3.Row) -> StoredMessage:
    citations = tuple(
        StoredCitation(
            int(c["n"]),
            str(c["source"]),
            c["page"],
            str(c["text"]),
            str(c["id"]),
            str(c.get("section") or ""),
            _int_or_none(c.get("start")),
            _int_or_none(c.get("end")),
            c["ocr"] if isinstance(c.get("ocr"), bool) else None,
            boxes_from(c.get("regions")),
            str(c.get("kb") or ""),
        )
        for c in json.loads(row["citations"])
    )
    return StoredMessage(
        int(row["id"]),
        int(row["conversation_id"]),
        str(row["role"]),
        str(row["content"]),
        float(row["created_at"]),
        str(row["provider"]),
        str(row["model"]),
        str(row["thinking"]),
        str(row["error"]),
        citations,
        {str(k): float(v) for k, v in json.loads(row["stats"]).items()},
    )
