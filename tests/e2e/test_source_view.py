"""The source view, driven like a person: a PDF drawn here and a long note are dropped in,
the model's answer cites them, a click on a chip opens the cited page with the passage
marked over its very characters; Next and Previous step through the answer's sources,
and a text document opens scrolled to its marked passage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from bench.pdf_samples import plain
from desktop.core.conversations import StoredCitation
from desktop.core.sources import PageLocation, TextLocation
from desktop.ui.links import Link, LinkKind
from desktop.ui.main_window import MainWindow
from desktop.ui.render import MessageEntry
from desktop.ui.source_view import HIGHLIGHT_PAD, SourceView
from tests.e2e.test_window import ask, drop, ready_documents
from tests.fakes.ollama_server import FakeOllama
from tests.integration.ingest.test_sources import loose, text_under

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    # The offscreen platform cannot resize to size hints or raise a window; a display can.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

FILLER = [
    " ".join(f"{w}{n * 50 + i}" for i, w in enumerate(["orchard", "ledger", "river"] * 16)) + "."
    for n in range(9)
]
PUMP = "The irrigation pump in the orchard draws forty litres of water a minute from the river."
NOTE = "The cider press in the orchard barn squeezes forty litres of apple juice an hour."


def make_documents(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    # The pump's paragraph lands on the PDF's second page, after a page of filler.
    pdf = plain(folder / "irrigation.pdf", "en", [*FILLER, PUMP, *FILLER[:3]], "Farm report")
    assert len(pdf.pages) >= 2 and PUMP.split()[-1] not in pdf.pages[0]
    note = folder / "barn.md"
    paragraphs = [
        f"Barn note {n}: " + " ".join(f"straw{n}x{i}" for i in range(40)) for n in range(60)
    ]
    paragraphs.insert(45, NOTE)
    note.write_text("# Barn\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return pdf.path, note


def click_chip(qtbot: QtBot, window: MainWindow, key: int, number: int) -> None:
    """Click chip `number` of the answer `key` where it is drawn."""
    browser = window.chat.browser
    href = Link(LinkKind.CITE, key, number).href
    block = window.chat.document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(window.chat.document)
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                return
            it += 1
        block = block.next()
    raise AssertionError(f"no chip {href}")


def shown(view: SourceView, citation: StoredCitation) -> bool:
    """The view has finished opening `citation`."""
    return view.citation == citation and view.location is not None


def check_page(view: SourceView, citation: StoredCitation) -> None:
    location = view.location
    assert isinstance(location, PageLocation)
    assert location.page == citation.page
    assert f"page {citation.page} of {location.page_count}" in view.where.text()
    assert view.path.text() == citation.source
    assert view.stack.currentWidget() is view.page_area
    canvas = view.canvas
    rects = canvas.highlight_rects()
    assert rects
    # Back to page fractions (without the padding around each line), then read from the
    # PDF what lies under them: exactly the passage.
    page = canvas.page_rect()
    x, y, w, h = page.x(), page.y(), page.width(), page.height()
    boxes = tuple(
        (
            (r.left() + HIGHLIGHT_PAD - x) / w,
            (r.top() + HIGHLIGHT_PAD - y) / h,
            (r.right() - HIGHLIGHT_PAD - x) / w,
            (r.bottom() - HIGHLIGHT_PAD - y) / h,
        )
        for r in rects
    )
    assert loose(text_under(Path(citation.source), citation.page or 1, boxes)) == loose(
        citation.text
    )
    # The page is drawn (ink under the first mark) and that mark is in view.
    first = min(rects, key=lambda r: r.top())
    image = canvas.grab().toImage()
    inked = [
        image.pixelColor(x, int(first.center().y())).lightness()
        for x in range(int(first.left()), int(first.right()))
    ]
    assert min(inked) < 120
    port = view.page_area.viewport()
    top_left = canvas.mapTo(port, first.topLeft().toPoint())
    assert port.rect().contains(QRect(top_left, first.size().toSize()))


def test_a_cited_pdf_page_opens_with_its_passage_marked_and_sources_step_through(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    pdf, note = make_documents(tmp_path / "docs")
    drop(window, [pdf, note])
    qtbot.waitUntil(
        lambda: ready_documents(window) == ["barn.md", "irrigation.pdf"], timeout=60_000
    )
    fake_ollama.set_reply("The pump [1] and the press [2] each move forty litres [3][4][5].")
    key = ask(qtbot, window, "How many litres do the orchard pump and the cider press move?")
    entry = window.chat.entry(key)
    by_text = {c.text: c for c in entry.citations}
    pump = next(c for t, c in by_text.items() if PUMP in " ".join(t.split()))
    press = next(c for t, c in by_text.items() if NOTE in t)
    assert pump.source == str(pdf) and pump.page == 2 and pump.ocr is False
    assert pump.number <= 5 and press.number <= 5, "both are cited"

    click_chip(qtbot, window, key, pump.number)
    view = window.sources.view
    assert view is not None
    qtbot.waitUntil(lambda: view.isVisible() and shown(view, pump), timeout=20_000)
    check_page(view, pump)
    assert view.status.text() == "" and view.system_button.isEnabled()

    # Next and Previous step through the cited sources in order, each opened in turn.
    cited = sorted((c for c in entry.citations if c.number <= 5), key=lambda c: c.number)
    at = [c.number for c in cited].index(pump.number)
    if at + 1 < len(cited):
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shown(view, cited[at + 1]), timeout=20_000)
        qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shown(view, cited[at - 1]), timeout=20_000)
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(view, pump), timeout=20_000)
    check_page(view, pump)
    assert view.previous_button.isEnabled() == (at > 0)
    assert view.next_button.isEnabled() == (at + 1 < len(cited))

    # The note opens as text, its passage marked and scrolled into view, far down.
    click_chip(qtbot, window, key, press.number)
    qtbot.waitUntil(lambda: shown(view, press), timeout=20_000)
    location = view.location
    assert isinstance(location, TextLocation)
    assert view.stack.currentWidget() is view.text
    assert view.highlighted_text() == press.text == location.text[location.start : location.end]
    assert location.start > location.text.index(NOTE) - len(press.text)
    assert view.text.verticalScrollBar().value() > 0
    start = QTextCursor(view.text.document())
    start.setPosition(location.start)
    assert view.text.viewport().rect().contains(view.text.cursorRect(start).center())
    assert "page" not in view.where.text() and view.path.text() == str(note)
    view.close()
    assert not view.isVisible()
    # Opened again, the view comes back on the source asked for.
    click_chip(qtbot, window, key, pump.number)
    qtbot.waitUntil(lambda: view.isVisible() and shown(view, pump), timeout=20_000)
    check_page(view, pump)


def test_a_picture_read_by_ocr_shows_its_read_lines_and_a_missing_file_its_passage(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    photo = tmp_path / "receipt.png"
    Image.new("RGB", (600, 800), "white").save(photo)
    lines = ((0.1, 0.1, 0.8, 0.14), (0.1, 0.16, 0.6, 0.2))
    read = StoredCitation(1, str(photo), 1, "Paid in cash.", "r:0", "", 0, 13, True, lines)
    gone = StoredCitation(2, str(tmp_path / "moved.pdf"), 3, "The lease ends in May.")
    key = window.chat.add_message(
        MessageEntry(0, "assistant", content="Paid [1]; the lease [2].", citations=[read, gone])
    )
    click_chip(qtbot, window, key, 1)
    view = window.sources.view
    assert view is not None
    qtbot.waitUntil(lambda: shown(view, read), timeout=20_000)
    assert view.stack.currentWidget() is view.page_area
    assert "page 1 of 1" in view.where.text()
    assert "read by OCR" in view.status.text() and view.status.isVisible()
    page = view.canvas.page_rect()
    marked = [
        (
            round((r.left() + HIGHLIGHT_PAD - page.x()) / page.width(), 3),
            round((r.top() + HIGHLIGHT_PAD - page.y()) / page.height(), 3),
        )
        for r in view.canvas.highlight_rects()
    ]
    assert marked == [(box[0], box[1]) for box in lines]
    assert page.height() / page.width() == pytest.approx(800 / 600, abs=0.01)

    # The file has gone: the view says where it was and still shows the passage.
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.status.text().startswith("moved.pdf"), timeout=20_000)
    assert view.citation == gone
    assert view.status.text().startswith(f"moved.pdf is no longer at {tmp_path}. Put it back")
    assert view.text.toPlainText() == gone.text
    assert not view.system_button.isEnabled()
    assert view.previous_button.isEnabled() and not view.next_button.isEnabled()
