"""Two passages of one file are told apart: the preview names each one's section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from desktop.ui.citation_preview import CitationPreview
from tests.e2e.test_picker import ask
from tests.e2e.test_window import drop, ready_documents
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

SECTION = " ".join(["The {0} apples are counted, sorted and stored in the cellar."] * 40)


def chip_tooltips(document: QTextDocument) -> dict[str, str]:
    """The tooltip of each citation chip in the conversation, by its link."""
    tips = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.anchorHref().startswith("cite:") and fmt.toolTip():
                tips[fmt.anchorHref()] = fmt.toolTip()
            it += 1
        block = block.next()
    return tips


def test_one_file_cited_twice_shows_which_section_each_passage_is(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    folder = tmp_path / "docs"
    folder.mkdir()
    orchard = folder / "orchard.md"
    orchard.write_text(
        f"# Orchard\n\n## Harvest\n\n{SECTION.format('harvest')}\n\n"
        f"## Winter\n\n{SECTION.format('winter')}\n",
        encoding="utf-8",
    )
    drop(window, [orchard])
    qtbot.waitUntil(lambda: ready_documents(window) == ["orchard.md"], timeout=30_000)
    fake_ollama.set_reply("Harvest apples [1] and winter apples [2] are both stored.")
    key = ask(qtbot, window, "How are the harvest and winter apples stored?")
    answer = window.chat.entry(key)
    cited = {c.number: c for c in answer.citations}
    assert cited[1].source == cited[2].source, "one file, two passages"

    def previewed() -> dict[int, str]:
        shown = {}
        entry = window.chat.entries()[-1]
        for number in (1, 2):
            window.chat.browser.anchorClicked.emit(QUrl(f"cite:{entry.key}:{number}"))
            preview = window.chat.findChildren(CitationPreview)[-1]
            shown[number] = preview.where.text()
            preview.close()
        return shown

    shown = previewed()
    sections = {text.split(" › ")[-1] for text in shown.values()}
    assert sections == {"Harvest", "Winter"}, shown
    tips = chip_tooltips(window.chat.document)
    assert {tip.split(" › ")[-1] for tip in tips.values()} >= {"Harvest", "Winter"}

    # The same after the conversation is reopened from the history.
    conversation = window.chat_controller.conversation_id
    assert conversation is not None
    window.chat_controller.new_chat()
    window.chat_controller.open_conversation(conversation)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == 2)
    qtbot.waitUntil(lambda: window.chat.entries()[-1].stored_id > 0)
    assert previewed() == shown
