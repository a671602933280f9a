"""The sidebar's knowledge tree: refreshes change the rows in place."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
    ReadingNotes,
)
from desktop.ui import theme
from desktop.ui.chosen_documents import ChosenDocuments
from desktop.ui.main import install_translator
from desktop.ui.sidebar import ROLE_FOLDER, ROLE_KB, Sidebar

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

Tree = dict[str, list[DocumentRecord]]


def doc(
    name: str,
    status: DocumentStatus = DocumentStatus.READY,
    *,
    chunks: int = 0,
    error: str = "",
    kb: str = "default",
) -> DocumentRecord:
    return DocumentRecord(
        f"id-{name}", kb, f"/notes/{name}", "h", 0.0, 1, status, error=error, chunk_count=chunks
    )


def summaries(documents: Tree) -> list[KnowledgeBaseSummary]:
    result = []
    for name, docs in documents.items():
        counts: dict[DocumentStatus, int] = {}
        for d in docs:
            counts[d.status] = counts.get(d.status, 0) + 1
        record = KnowledgeBaseRecord(name, name, "e", 3, "c", 0.0)
        result.append(KnowledgeBaseSummary(record, counts, sum(d.chunk_count for d in docs)))
    return result


def show(sidebar: Sidebar, documents: Tree) -> None:
    sidebar.show_knowledge(summaries(documents), documents)


def top(sidebar: Sidebar, row: int = 0) -> QTreeWidgetItem:
    item = sidebar.kb_tree.topLevelItem(row)
    assert item is not None
    return item


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = [item.child(i) for i in range(item.childCount())]
    return [child for child in found if child is not None]


@pytest.fixture
def sidebar(qtbot: QtBot, qapp: QApplication) -> Sidebar:
    install_translator(qapp, "en")  # as the app does: English plural forms
    widget = Sidebar(theme.LIGHT)
    qtbot.addWidget(widget)
    widget.resize(320, 600)
    widget.show()
    return widget


def test_a_status_change_updates_the_same_rows(sidebar: Sidebar) -> None:
    show(
        sidebar,
        {"default": [doc("a.md", DocumentStatus.QUEUED), doc("b.md", DocumentStatus.QUEUED)]},
    )
    base = top(sidebar)
    first, second = children(base)
    assert first.text(1) == "queued"

    show(sidebar, {"default": [doc("a.md", chunks=5), doc("b.md", DocumentStatus.INDEXING)]})

    assert top(sidebar) is base
    assert children(base)[0] is first and children(base)[1] is second
    assert first.text(1) == "5 chunks" and second.text(1) == "indexing"
    assert base.text(0) == "default  ·  2 documents"
    assert base.toolTip(0) == "default  ·  2 documents · 5 chunks\nTicked: questions search it"


def test_removed_documents_go_and_new_ones_appear_in_order(sidebar: Sidebar) -> None:
    show(sidebar, {"default": [doc("a.md"), doc("c.md")]})
    kept = children(top(sidebar))[1]

    show(sidebar, {"default": [doc("b.md"), doc("c.md"), doc("d.md")]})

    rows = children(top(sidebar))
    assert [row.text(0) for row in rows] == ["b.md", "c.md", "d.md"]
    assert rows[1] is kept
    assert rows[0].data(0, Qt.ItemDataRole.UserRole) == "id-b.md"


def test_rows_follow_a_new_order(sidebar: Sidebar) -> None:
    show(sidebar, {"default": [doc("a.md"), doc("b.md")], "work": [doc("c.md", kb="work")]})

    show(sidebar, {"work": [doc("c.md", kb="work")], "default": [doc("b.md"), doc("a.md")]})

    assert [top(sidebar, i).data(0, ROLE_KB) for i in range(2)] == ["work", "default"]
    # Documents are sorted by name, whatever order they come in.
    assert [row.text(0) for row in children(top(sidebar, 1))] == ["a.md", "b.md"]
    assert [row.text(0) for row in children(top(sidebar, 0))] == ["c.md"]


def test_expansion_and_selection_survive_a_refresh(sidebar: Sidebar) -> None:
    queued = DocumentStatus.QUEUED
    documents = {
        "default": [doc("a.md")],
        "work": [doc("plan.md", queued, kb="work"), doc("x.md", queued, kb="work")],
    }
    show(sidebar, documents)
    default, work = top(sidebar, 0), top(sidebar, 1)
    assert not default.isExpanded() and not work.isExpanded()
    work.setExpanded(True)
    plan = children(work)[0]
    sidebar.kb_tree.setCurrentItem(plan)

    documents["work"] = [doc("plan.md", chunks=2, kb="work"), doc("x.md", chunks=1, kb="work")]
    show(sidebar, documents)

    assert work.isExpanded() and not default.isExpanded()
    assert sidebar.kb_tree.currentItem() is plan and plan.isSelected()
    assert sidebar.selected_kb() == ("work", "id-plan.md")


def test_a_collapsed_only_base_stays_collapsed(sidebar: Sidebar) -> None:
    show(sidebar, {"default": []})
    assert top(sidebar).isExpanded()
    top(sidebar).setExpanded(False)

    show(sidebar, {"default": [doc("a.md")]})

    assert not top(sidebar).isExpanded()


def test_a_failed_document_shows_its_reason_until_it_is_indexed(sidebar: Sidebar) -> None:
    show(sidebar, {"default": [doc("scan.pdf", DocumentStatus.INDEXING)]})
    item = children(top(sidebar))[0]
    assert item.childCount() == 0

    error = "The PDF has no text layer (it needs OCR)."
    show(sidebar, {"default": [doc("scan.pdf", DocumentStatus.FAILED, error=error)]})

    assert children(top(sidebar))[0] is item
    assert item.text(1) == "failed" and item.isExpanded()
    (reason,) = children(item)
    assert reason.text(0) == error and reason.isFirstColumnSpanned()
    red = QColor(theme.LIGHT.error)
    assert reason.foreground(0).color() == red and item.foreground(0).color() == red
    assert error in item.toolTip(0)

    show(sidebar, {"default": [doc("scan.pdf", chunks=3)]})

    assert item.childCount() == 0
    assert item.text(1) == "3 chunks"
    assert item.data(0, Qt.ItemDataRole.ForegroundRole) is None
    assert item.foreground(1).color() != red
    assert item.toolTip(0) == "/notes/scan.pdf"


def test_a_removed_base_goes_with_its_documents(sidebar: Sidebar) -> None:
    show(sidebar, {"default": [doc("a.md")], "work": [doc("b.md", kb="work")]})
    default = top(sidebar, 0)

    show(sidebar, {"default": [doc("a.md")]})

    assert sidebar.kb_tree.topLevelItemCount() == 1 and top(sidebar) is default

    show(sidebar, {"default": [doc("a.md")], "work": [doc("b.md", kb="work")]})

    assert [row.text(0) for row in children(top(sidebar, 1))] == ["b.md"]


def test_the_status_column_fits_its_widest_text(sidebar: Sidebar) -> None:
    tree = sidebar.kb_tree
    show(sidebar, {"default": [doc("a.md", chunks=123456), doc("b.md", DocumentStatus.QUEUED)]})
    wide = tree.columnWidth(1)
    assert wide == tree.sizeHintForColumn(1)
    assert wide > tree.fontMetrics().horizontalAdvance("123456 chunks")

    show(sidebar, {"default": [doc("a.md", chunks=1), doc("b.md", DocumentStatus.QUEUED)]})

    assert tree.columnWidth(1) == tree.sizeHintForColumn(1) < wide


def test_the_status_column_fits_a_folders_count(sidebar: Sidebar) -> None:
    """A folder's "400 documents" was cut to "4…": the column fitted only the documents'
    states ("queued", "2 chunks")."""
    tree = sidebar.kb_tree
    many = [at(f"/home/me/notes/big/note-{i:03}.md", DocumentStatus.QUEUED) for i in range(400)]
    show(sidebar, {"default": [*many, at("/home/me/notes/small/one.md")]})
    big = children(top(sidebar))[0]
    assert big.text(1) == "400 documents"
    assert tree.columnWidth(1) >= tree.fontMetrics().horizontalAdvance("400 documents")


def test_remove_and_reindex_act_on_the_row_selected_before_a_refresh(
    qtbot: QtBot, sidebar: Sidebar
) -> None:
    show(sidebar, {"default": [doc("a.md", DocumentStatus.QUEUED), doc("b.md")]})
    sidebar.kb_tree.setCurrentItem(children(top(sidebar))[0])
    show(sidebar, {"default": [doc("a.md", chunks=4), doc("b.md")]})

    with qtbot.waitSignal(sidebar.remove_requested) as removed:
        sidebar.remove_button.click()
    assert removed.args == ["default", "id-a.md"]

    sidebar.kb_tree.setCurrentItem(top(sidebar))
    show(sidebar, {"default": [doc("a.md", chunks=4)]})

    with qtbot.waitSignal(sidebar.reindex_requested) as reindexed:
        sidebar.reindex_button.click()
    assert reindexed.args == ["default"]


def at(path: str, status: DocumentStatus = DocumentStatus.READY) -> DocumentRecord:
    return DocumentRecord(f"id-{path}", "default", path, "h", 0.0, 1, status, chunk_count=2)


def test_folders_stay_folders_with_counts_sorted_by_name(sidebar: Sidebar) -> None:
    docs = [
        at("/home/me/notes/work/README.md"),
        at("/home/me/notes/Archive/README.md"),
        at("/home/me/notes/work/b.md"),
        at("/home/me/notes/work/A.md"),
    ]
    show(sidebar, {"default": docs})
    folders = children(top(sidebar))
    assert [f.text(0) for f in folders] == ["Archive", "work"]
    assert [f.text(1) for f in folders] == ["1 document", "3 documents"]
    assert all(f.data(0, ROLE_FOLDER) and f.isExpanded() for f in folders)
    assert [d.text(0) for d in children(folders[1])] == ["A.md", "b.md", "README.md"]
    # The two README.md rows are told apart by their folders (and their tooltips).
    readmes = [children(folders[0])[0], children(folders[1])[2]]
    assert {r.toolTip(0) for r in readmes} == {
        "/home/me/notes/Archive/README.md",
        "/home/me/notes/work/README.md",
    }
    folders[1].setExpanded(False)
    row = children(folders[1])[0]

    show(sidebar, {"default": [*docs, at("/home/me/notes/work/c.md")]})

    assert children(top(sidebar)) == folders and not folders[1].isExpanded()
    assert children(folders[1])[0] is row
    assert folders[1].text(1) == "4 documents"


def test_nested_folders_are_named_below_their_shared_folder(sidebar: Sidebar) -> None:
    show(sidebar, {"default": [at("/d/x/a.md"), at("/d/x/y/b.md"), at("/d/z/c.md")]})
    assert [f.text(0) for f in children(top(sidebar))] == ["x", "x/y", "z"]


def test_one_folder_shows_its_documents_right_under_the_base(sidebar: Sidebar) -> None:
    show(sidebar, {"default": [at("/d/x/b.md"), at("/d/x/a.md")]})
    assert [r.text(0) for r in children(top(sidebar))] == ["a.md", "b.md"]
    show(sidebar, {"default": [at("/d/x/b.md"), at("/d/x/a.md"), at("/d/y/a.md")]})
    assert [f.text(0) for f in children(top(sidebar))] == ["x", "y"]
    show(sidebar, {"default": [at("/d/y/a.md")]})
    assert [r.text(0) for r in children(top(sidebar))] == ["a.md"]


def test_a_folder_row_never_removes_the_base(qtbot: QtBot, sidebar: Sidebar) -> None:
    show(sidebar, {"default": [at("/d/x/a.md"), at("/d/y/a.md")]})
    folder = children(top(sidebar))[0]
    sidebar.kb_tree.setCurrentItem(folder)
    assert not sidebar.remove_button.isEnabled()
    sidebar.kb_tree.setCurrentItem(children(folder)[0])
    assert sidebar.remove_button.isEnabled()
    with qtbot.waitSignal(sidebar.remove_requested) as removed:
        sidebar.remove_button.click()
    assert removed.args == ["default", "id-/d/x/a.md"]


def _read(name: str, notes: ReadingNotes) -> DocumentRecord:
    return replace(doc(name, chunks=4), notes=notes)


def test_how_a_document_was_read_shows_under_it_and_in_its_tooltip(sidebar: Sidebar) -> None:
    scan = ReadingNotes(ocr_pages=(1, 2, 3, 5), uncertain_pages=(3, 5))
    show(
        sidebar,
        {
            "default": [
                _read("notes.md", ReadingNotes(repaired=True)),
                _read("photo.png", ReadingNotes(ocr_pages=(1,), uncertain_pages=(1,))),
                _read("plain.txt", ReadingNotes()),
                _read("scan.pdf", scan),
            ]
        },
    )
    notes, photo, plain, pdf = children(top(sidebar))
    lines = {row.text(0): [c.text(0) for c in children(row)] for row in (notes, photo, pdf)}
    assert lines == {
        "notes.md": ["repaired text encoding"],
        "photo.png": ["read by OCR · low confidence on page 1"],
        "scan.pdf": ["read by OCR · low confidence on pages 3, 5"],
    }
    assert plain.childCount() == 0
    assert pdf.toolTip(0) == "/notes/scan.pdf\nread by OCR · low confidence on pages 3, 5"
    (line,) = children(pdf)
    assert line.foreground(0).color() != QColor(theme.LIGHT.error)
    # Indexed again without OCR trouble: the line goes.
    show(sidebar, {"default": [_read("scan.pdf", ReadingNotes(ocr_pages=(1,)))]})
    (pdf,) = children(top(sidebar))
    assert [c.text(0) for c in children(pdf)] == ["read by OCR"]


def _menu_for(qtbot: QtBot, sidebar: Sidebar, item: QTreeWidgetItem) -> QMenu:
    """Right-click `item` in the tree and return the menu that opens."""
    tree = sidebar.kb_tree
    at = tree.visualItemRect(item).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, tree.viewport().mapToGlobal(at))
    QApplication.sendEvent(tree.viewport(), event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def _click(qtbot: QtBot, menu: QMenu, text: str) -> None:
    [action] = [a for a in menu.actions() if a.text() == text]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


# A menu pops up: the offscreen platform cannot raise it or grab the keyboard for it.
@pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints", "does not support raise", "does not support grabbing"
)
def test_the_document_menu_asks_about_one_or_compares_several(
    qtbot: QtBot, sidebar: Sidebar
) -> None:
    show(
        sidebar,
        {
            "default": [
                doc("a.md", chunks=2),
                doc("b.md", chunks=2),
                doc("c.pdf", DocumentStatus.FAILED, error="No text."),
            ]
        },
    )
    a, b, failed = children(top(sidebar))
    with qtbot.waitSignal(sidebar.documents_chosen) as one:
        _click(qtbot, _menu_for(qtbot, sidebar, a), "Ask about this document")
    assert one.args == [ChosenDocuments("default", (("id-a.md", "/notes/a.md"),))]

    a.setSelected(True)
    b.setSelected(True)
    menu = _menu_for(qtbot, sidebar, b)
    assert "Ask about this document" not in [x.text() for x in menu.actions()]
    with qtbot.waitSignal(sidebar.documents_chosen) as two:
        _click(qtbot, menu, "Compare these documents")
    [chosen] = two.args
    assert chosen.kb == "default" and sorted(chosen.doc_ids) == ["id-a.md", "id-b.md"]

    # A document that failed has nothing to ask about.
    menu = _menu_for(qtbot, sidebar, failed)
    texts = [x.text() for x in menu.actions()]
    assert "Ask about this document" not in texts and "Remove" in texts
    menu.close()
