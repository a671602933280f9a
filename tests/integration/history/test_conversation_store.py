"""Chat history in a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.core.conversations import StoredCitation, conversation_to_markdown
from desktop.core.errors import StoreError
from desktop.store.history import ConversationStore

pytestmark = pytest.mark.integration


def test_round_trip_survives_reopen(tmp_path: Path) -> None:
    db = tmp_path / "hearth.db"
    store = ConversationStore(db)
    conv = store.create("Отчёт 2024")
    store.add_message(conv.conversation_id, "user", "Что в отчёте?")
    cite = StoredCitation(1, "/docs/report.pdf", 3, "Выручка выросла на 12%.", "d1:4", kb="отчёты")
    store.add_message(
        conv.conversation_id,
        "assistant",
        "Выручка выросла [1].",
        provider="cloud",
        model="gpt-oss:120b",
        citations=(cite,),
        stats={"tokens_per_second": 41.5},
    )
    store.close()

    reopened = ConversationStore(db)
    [listed] = reopened.conversations()
    assert listed.title == "Отчёт 2024"
    assert listed.message_count == 2
    question, answer = reopened.messages(conv.conversation_id)
    assert question.role == "user"
    assert answer.provider == "cloud"
    assert answer.model == "gpt-oss:120b"
    assert answer.citations == (cite,)
    assert answer.stats == {"tokens_per_second": 41.5}


def test_a_citation_keeps_where_its_passage_stands_and_old_rows_read_as_unknown(
    tmp_path: Path,
) -> None:
    store = ConversationStore(tmp_path / "h.db")
    conv = store.create("Scans")
    scanned = StoredCitation(
        1, "/docs/scan.pdf", 2, "Invoice 4471.", "s:0", "", 120, 133, True, ((0.1, 0.2, 0.8, 0.25),)
    )
    typed = StoredCitation(2, "/docs/notes.md", None, "Paid.", "n:0", "Bills", 0, 5, False)
    store.add_message(conv.conversation_id, "assistant", "[1][2]", citations=(scanned, typed))
    # A row written before positions were kept has none of the new fields.
    with sqlite3.connect(tmp_path / "h.db") as db:
        db.execute(
            "INSERT INTO messages (conversation_id, role, content, citations, created_at)"
            " VALUES (?, 'assistant', '[1]', ?, 0)",
            (
                conv.conversation_id,
                '[{"n": 1, "source": "/a.txt", "page": null, "text": "t", "id": "a:0"}]',
            ),
        )
    db.close()
    answer, old = store.messages(conv.conversation_id)
    assert answer.citations == (scanned, typed)
    [legacy] = old.citations
    assert (legacy.start, legacy.end, legacy.ocr, legacy.regions) == (None, None, None, ())


def test_search_rename_delete(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "h.db")
    a = store.create("Taxes")
    b = store.create("Holiday 100%")
    store.add_message(a.conversation_id, "user", "What is the VAT rate?")
    assert [c.title for c in store.conversations("vat")] == ["Taxes"]
    assert [c.title for c in store.conversations("100%")] == ["Holiday 100%"]
    assert store.conversations("_") == []  # LIKE wildcards are matched literally
    store.rename(b.conversation_id, "Trip")
    assert store.get(b.conversation_id).title == "Trip"
    store.delete(a.conversation_id)
    assert [c.title for c in store.conversations()] == ["Trip"]
    assert store.messages(a.conversation_id) == []
    with pytest.raises(StoreError, match="does not exist"):
        store.get(a.conversation_id)


def test_delete_messages_from_supports_edit_and_resend(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "h.db")
    conv = store.create("c")
    store.add_message(conv.conversation_id, "user", "q1")
    store.add_message(conv.conversation_id, "assistant", "a1")
    q2 = store.add_message(conv.conversation_id, "user", "q2")
    store.add_message(conv.conversation_id, "assistant", "a2")
    store.delete_messages_from(conv.conversation_id, q2.message_id)
    assert [m.content for m in store.messages(conv.conversation_id)] == ["q1", "a1"]


def test_usable_from_several_threads(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "h.db")
    conv = store.create("threads")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                store.add_message(conv.conversation_id, "user", f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.messages(conv.conversation_id)) == 80


def test_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        ConversationStore(db)
    assert db.read_bytes().startswith(b"this is not")  # user data is never deleted


def test_markdown_export_lists_sources() -> None:
    from desktop.core.conversations import Conversation, StoredMessage

    conv = Conversation(1, "Report", 0.0, 0.0)
    msgs = [
        StoredMessage(1, 1, "user", "What grew?", 0.0),
        StoredMessage(
            2,
            1,
            "assistant",
            "Revenue grew [1].",
            0.0,
            provider="local",
            model="llama3.2",
            citations=(StoredCitation(1, "/r.pdf", 2, "Revenue grew 12%."),),
        ),
    ]
    text = conversation_to_markdown(conv, msgs)
    assert text.startswith("# Report\n")
    assert "## Answer (llama3.2, local)" in text
    assert "1. /r.pdf, page 2" in text


def test_markdown_export_names_the_knowledge_base_when_sources_span_several() -> None:
    from desktop.core.conversations import Conversation, StoredMessage

    cites = (
        StoredCitation(1, "/r.pdf", 2, "Revenue grew 12%.", kb="finance"),
        StoredCitation(2, "/plan.md", None, "Hire two people.", kb="team"),
    )
    answer = StoredMessage(2, 1, "assistant", "Grew [1], hiring [2].", 0.0, citations=cites)
    text = conversation_to_markdown(Conversation(1, "Plan", 0.0, 0.0), [answer])
    assert "1. finance: /r.pdf, page 2\n2. team: /plan.md" in text
    alone = StoredMessage(2, 1, "assistant", "Grew [1].", 0.0, citations=cites[:1])
    assert "1. /r.pdf, page 2" in conversation_to_markdown(Conversation(1, "P", 0.0, 0.0), [alone])


def test_export_to_writes_an_owner_only_file(tmp_path: Path) -> None:
    import json
    import stat

    store = ConversationStore(tmp_path / "hearth.db")
    conv = store.create("Report")
    store.add_message(conv.conversation_id, "user", "What grew?")
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o644)  # a file that was there keeps no wider mode
    store.export_to(conv.conversation_id, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == "# Report\n\n## Question\n\nWhat grew?\n"
    fresh = tmp_path / "report.json"
    store.export_to(conv.conversation_id, fresh, "json")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    data = json.loads(fresh.read_text(encoding="utf-8"))
    assert data["title"] == "Report" and data["messages"][0]["content"] == "What grew?"
    store.close()
