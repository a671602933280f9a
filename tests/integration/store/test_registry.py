"""The document registry in a real SQLite file."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.core.documents import DocumentStatus, ReadingNotes
from desktop.core.errors import KnowledgeBaseNotFound, StoreError
from desktop.store.history import ConversationStore
from desktop.store.registry import _MIGRATIONS, SqliteRegistry

pytestmark = pytest.mark.integration

CHROMA_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$")


def test_knowledge_bases_get_safe_keys_and_survive_reopen(tmp_path: Path) -> None:
    db = tmp_path / "data" / "hearth.db"
    reg = SqliteRegistry(db)
    work = reg.create_kb("Работа 2024", "builtin:e5-small", 384)
    notes = reg.create_kb("笔记", "builtin:e5-small", 384)
    for record in (work, notes):
        assert CHROMA_NAME.match(record.collection_name)
        assert "/" not in record.key and not record.key.startswith(".")
    assert work.key != notes.key
    reg.close()

    again = SqliteRegistry(db)
    assert [k.name for k in again.list_kbs()] == ["Работа 2024", "笔记"]
    assert again.get_kb("笔记") == notes
    assert again.ensure_kb("笔记", "other", 3) == notes
    with pytest.raises(StoreError, match="already exists"):
        again.create_kb("笔记", "builtin:e5-small", 384)
    with pytest.raises(KnowledgeBaseNotFound):
        again.get_kb("missing")


def test_document_lifecycle(tmp_path: Path) -> None:
    reg = SqliteRegistry(tmp_path / "hearth.db")
    reg.create_kb("kb", "e", 8)
    created = reg.add_queued("kb", ["/d/a.txt", "/d/b.txt"])
    assert [d.status for d in created] == [DocumentStatus.QUEUED] * 2
    assert reg.add_queued("kb", ["/d/a.txt", "/d/c.txt"])[0].path == "/d/c.txt"
    a = reg.get_document("kb", "/d/a.txt")
    assert a is not None and a.doc_id == created[0].doc_id

    reg.set_status([a.doc_id], DocumentStatus.INDEXING)
    assert a.doc_id in reg.hidden_doc_ids("kb")
    reg.mark_ready([(a.doc_id, "h1", 12.5, 300, 4)])
    ready = reg.get_document("kb", "/d/a.txt")
    assert ready is not None
    assert (ready.status, ready.content_hash, ready.mtime, ready.size, ready.chunk_count) == (
        DocumentStatus.READY,
        "h1",
        12.5,
        300,
        4,
    )
    assert reg.ready_doc_ids("kb") == {a.doc_id}
    assert a.doc_id not in reg.hidden_doc_ids("kb")
    reg.touch(a.doc_id, 99.0, 301)
    touched = reg.get_document("kb", "/d/a.txt")
    assert touched is not None and (touched.mtime, touched.size) == (99.0, 301)

    b = created[1]
    reg.set_status([b.doc_id], DocumentStatus.FAILED, "The file is encrypted.")
    failed = reg.documents("kb", [DocumentStatus.FAILED])
    assert [(d.path, d.error) for d in failed] == [("/d/b.txt", "The file is encrypted.")]
    assert reg.status_counts("kb") == {
        DocumentStatus.READY: 1,
        DocumentStatus.FAILED: 1,
        DocumentStatus.QUEUED: 1,
    }
    assert reg.chunk_total("kb") == 4


def test_removal_keeps_ids_hidden_until_finished(tmp_path: Path) -> None:
    reg = SqliteRegistry(tmp_path / "hearth.db")
    reg.create_kb("kb", "e", 8)
    [doc] = reg.add_queued("kb", ["/d/a.txt"])
    reg.mark_ready([(doc.doc_id, "h", 1.0, 1, 2)])
    reg.begin_removal([doc.doc_id])
    assert reg.get_document("kb", "/d/a.txt") is None
    assert reg.pending_removals("kb") == {doc.doc_id}
    assert reg.hidden_doc_ids("kb") == {doc.doc_id}
    reg.finish_removal([doc.doc_id])
    assert reg.pending_removals("kb") == set()
    assert reg.hidden_doc_ids("kb") == set()


def test_swap_changes_collection_in_one_step(tmp_path: Path) -> None:
    reg = SqliteRegistry(tmp_path / "hearth.db")
    old = reg.create_kb("kb", "old:model", 8)
    pending = reg.begin_swap("kb", "new:model", 16)
    assert pending.collection_name == old.collection_name
    assert pending.pending_embedder_id == "new:model"
    assert CHROMA_NAME.match(pending.pending_collection)
    assert pending.pending_collection != old.collection_name

    swapped = reg.finish_swap("kb")
    assert (swapped.collection_name, swapped.embedder_id, swapped.dimension) == (
        pending.pending_collection,
        "new:model",
        16,
    )
    assert swapped.pending_collection == ""
    assert reg.pending_drops() == [("collection", old.collection_name)]
    reg.drop_done("collection", old.collection_name)

    again = reg.begin_swap("kb", "third:model", 4)
    reg.abandon_swap("kb")
    assert reg.get_kb("kb").embedder_id == "new:model"
    assert reg.pending_drops() == [("collection", again.pending_collection)]
    with pytest.raises(StoreError):
        reg.finish_swap("kb")


def test_deleting_a_knowledge_base_removes_rows_and_lists_its_indexes(tmp_path: Path) -> None:
    reg = SqliteRegistry(tmp_path / "hearth.db")
    kb = reg.create_kb("kb", "e", 8)
    reg.add_queued("kb", ["/d/a.txt"])
    pending = reg.begin_swap("kb", "f", 8)
    reg.delete_kb("kb")
    assert reg.list_kbs() == []
    assert reg.documents("kb") == []
    assert sorted(reg.pending_drops()) == sorted(
        [
            ("collection", kb.collection_name),
            ("collection", pending.pending_collection),
            ("lexical", kb.key),
        ]
    )
    with pytest.raises(KnowledgeBaseNotFound):
        reg.delete_kb("kb")
    with pytest.raises(KnowledgeBaseNotFound):
        reg.add_queued("kb", ["/d/a.txt"])


def test_shares_the_database_file_with_chat_history(tmp_path: Path) -> None:
    db = tmp_path / "hearth.db"
    history = ConversationStore(db)
    reg = SqliteRegistry(db)
    reg.create_kb("kb", "e", 8)
    conv = history.create("hello", kb="kb")
    assert history.get(conv.conversation_id).kb == "kb"
    assert reg.get_kb("kb").name == "kb"


def test_how_a_document_was_read_is_kept_and_an_older_file_gains_it(tmp_path: Path) -> None:
    db = tmp_path / "hearth.db"
    # A document list written before it recorded how documents were read.
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE schema_versions (component TEXT PRIMARY KEY, version INTEGER)")
        for statement in _MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_versions VALUES ('registry', 1)")
        conn.execute("INSERT INTO knowledge_bases VALUES ('kb', 'kb', 'e', 4, 'c', '', '', 0, 0)")
        conn.execute(
            "INSERT INTO documents (doc_id, kb, path, status, updated_at)"
            " VALUES ('old', 'kb', '/old.txt', 'ready', 0)"
        )
    conn.close()
    reg = SqliteRegistry(db)
    [old] = reg.documents("kb")
    assert old.notes == ReadingNotes()
    [scan] = reg.add_queued("kb", ["/scan.pdf"])
    notes = ReadingNotes(ocr_pages=(2, 3, 5), uncertain_pages=(3, 5), repaired=False)
    reg.mark_ready([(scan.doc_id, "h", 1.0, 10, 3), ("old", "h2", 1.0, 5, 1)], {scan.doc_id: notes})
    reg.close()
    reopened = SqliteRegistry(db)
    by_path = {d.path: d.notes for d in reopened.documents("kb")}
    assert by_path == {"/scan.pdf": notes, "/old.txt": ReadingNotes()}
    reopened.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "hearth.db"
    SqliteRegistry(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_versions SET version = 99 WHERE component = 'registry'")
    conn.close()
    with pytest.raises(StoreError, match="newer Hearth"):
        SqliteRegistry(db)


def test_a_damaged_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "hearth.db"
    junk = b"this is not a database at all\n" * 200
    db.write_bytes(junk)
    with pytest.raises(StoreError, match="damaged") as info:
        SqliteRegistry(db)
    assert str(db) in info.value.message
    assert "aside" in info.value.hint
    assert db.read_bytes() == junk


def test_a_locked_database_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "hearth.db"
    reg = SqliteRegistry(db, busy_timeout=0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked") as info:
            reg.create_kb("kb", "e", 8)
        assert "other copies" in info.value.hint
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert reg.create_kb("kb", "e", 8).name == "kb"


def test_safe_to_use_from_many_threads(tmp_path: Path) -> None:
    reg = SqliteRegistry(tmp_path / "hearth.db")
    reg.create_kb("kb", "e", 8)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            docs = reg.add_queued("kb", [f"/d/{n}-{i}.txt" for i in range(20)])
            reg.mark_ready([(d.doc_id, f"h{n}", 1.0, 1, 1) for d in docs])
            reg.status_counts("kb")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert reg.status_counts("kb") == {DocumentStatus.READY: 160}
    assert reg.chunk_total("kb") == 160
