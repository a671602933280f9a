"""The sidebar: knowledge bases, their documents as a folder tree, and conversations."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations import Conversation
from desktop.core.documents import DocumentRecord, DocumentStatus, KnowledgeBaseSummary
from desktop.ui.chosen_documents import DOCUMENTS_MIME, ChosenDocuments, to_mime
from desktop.ui.theme import Colors, name_combo

ROLE_DOC = Qt.ItemDataRole.UserRole
ROLE_KB = Qt.ItemDataRole.UserRole + 1
ROLE_FOLDER = Qt.ItemDataRole.UserRole + 2
# A document row's file path, set while the document is ready (it can be asked about).
ROLE_READY_PATH = Qt.ItemDataRole.UserRole + 3


def chosen_documents(items: Sequence[QTreeWidgetItem], kb: str = "") -> ChosenDocuments | None:
    """The ready documents among `items`, of knowledge base `kb` (else of the first such
    document's), in the order given; None when there are none."""
    rows = [i for i in items if i.data(0, ROLE_READY_PATH)]
    if not rows:
        return None
    kb = kb or str(rows[0].data(0, ROLE_KB))
    documents = tuple(
        (str(i.data(0, ROLE_DOC)), str(i.data(0, ROLE_READY_PATH)))
        for i in rows
        if i.data(0, ROLE_KB) == kb
    )
    return ChosenDocuments(kb, documents) if documents else None


class KnowledgeTree(QTreeWidget):
    """The knowledge tree; its ready documents can be dragged onto the question box."""

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt override)
        return [DOCUMENTS_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 (Qt override)
        chosen = chosen_documents(items)
        return to_mime(chosen) if chosen is not None else QMimeData()


def _name_key(path: str) -> tuple[str, str]:
    name = os.path.basename(path)
    return name.casefold(), name


def folder_groups(docs: list[DocumentRecord]) -> list[tuple[str, str, list[DocumentRecord]]]:
    """Documents by the folder they came from: (folder, label, documents), sorted by name.

    A folder's label is its path below the folder all of them share (its own name when it
    is that folder), so two files of the same name in two folders are told apart.
    """
    by_folder: dict[str, list[DocumentRecord]] = {}
    for doc in docs:
        by_folder.setdefault(os.path.dirname(doc.path), []).append(doc)
    if not by_folder:
        return []
    try:
        common = os.path.commonpath(list(by_folder))
    except ValueError:  # folders on different drives
        common = ""
    groups = []
    for folder, members in by_folder.items():
        label = os.path.relpath(folder, common) if common else folder
        if label == os.curdir:
            label = os.path.basename(folder) or folder
        members.sort(key=lambda d: _name_key(d.path))
        groups.append((folder, label, members))
    groups.sort(key=lambda g: (g[1].casefold(), g[1]))
    return groups


@dataclass
class _DocumentRow:
    """A document's row in the knowledge tree and what it last showed."""

    item: QTreeWidgetItem
    shown: DocumentRecord | None = None
    status: str = ""


class Sidebar(QWidget):
    """Knowledge bases with their documents, then the conversations.

    Signals:
        add_files_requested, add_folder_requested, watch_requested, new_chat_requested.
        remove_requested(str, str): knowledge base and document id ("" for the whole base).
        reindex_requested(str): a knowledge base.
        kb_chosen(str): the knowledge base questions search and new documents go into.
        kb_create_requested(str): the name of a new knowledge base.
        kb_rename_requested(str, str): a knowledge base's name and the new one typed.
        kbs_searched_changed(list): the other knowledge bases ticked for questions to search
            besides the one asked in.
        conversation_selected(int), conversation_deleted(int), conversation_exported(int).
        conversation_renamed(int, str).
        search_changed(str): the conversation search text.
        documents_chosen(ChosenDocuments): ask about these documents as a whole.
    """

    add_files_requested = Signal()
    add_folder_requested = Signal()
    watch_requested = Signal()
    new_chat_requested = Signal()
    remove_requested = Signal(str, str)
    reindex_requested = Signal(str)
    kb_chosen = Signal(str)
    kb_create_requested = Signal(str)
    kb_rename_requested = Signal(str, str)
    kbs_searched_changed = Signal(list)
    conversation_selected = Signal(int)
    conversation_deleted = Signal(int)
    conversation_exported = Signal(int)
    conversation_renamed = Signal(int, str)
    search_changed = Signal(str)
    documents_chosen = Signal(object)

    def __init__(self, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._colors = colors
        self._kb_items: dict[str, QTreeWidgetItem] = {}
        # Per knowledge base: its folder rows ("" when its documents share one folder and
        # sit right under it), and per folder the document rows, by document id.
        self._folder_items: dict[str, dict[str, QTreeWidgetItem]] = {}
        self._doc_rows: dict[str, dict[str, dict[str, _DocumentRow]]] = {}
        self._status_widths: dict[str, int] = {}
        self._active_kb = ""
        self._also_searched: set[str] = set()
        self._ticking = False  # ticks being set by the code, not by a person
        self._setup_ui()

    def _title(self, text: str) -> QLabel:
        label = QLabel(text.upper())
        label.setObjectName("SectionTitle")
        return label

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        self.knowledge_title = self._title(self.tr("Knowledge"))
        title_row = QHBoxLayout()
        title_row.addWidget(self.knowledge_title)
        title_row.addStretch(1)
        self.new_kb_button = QPushButton(self.tr("New…"))
        self.new_kb_button.setAccessibleName(self.tr("New knowledge base"))
        self.new_kb_button.setToolTip(self.tr("New knowledge base"))
        self.new_kb_button.clicked.connect(self._on_new_kb_clicked)
        title_row.addWidget(self.new_kb_button)
        layout.addLayout(title_row)
        picker_row = QHBoxLayout()
        self.kb_label = QLabel(self.tr("Ask in"))
        self.kb_label.setObjectName("Muted")
        self.kb_picker = QComboBox()
        name_combo(self.kb_picker, self.tr("Knowledge base for questions and new documents"))
        self.kb_picker.setToolTip(self.tr("Knowledge base for questions and new documents"))
        self.kb_picker.textActivated.connect(self._on_kb_picked)
        self.kb_label.setBuddy(self.kb_picker)
        picker_row.addWidget(self.kb_label)
        picker_row.addWidget(self.kb_picker, 1)
        layout.addLayout(picker_row)
        self._translate_statuses()
        self.kb_tree = KnowledgeTree()
        self.kb_tree.setHeaderHidden(True)
        # Several documents can be chosen to compare them, and dragged onto the question.
        self.kb_tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.kb_tree.setDragEnabled(True)
        self.kb_tree.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        self.kb_tree.setColumnCount(2)
        self.kb_tree.header().setStretchLastSection(False)
        self.kb_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.kb_tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kb_tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # A failed file's reason is a sentence: it wraps instead of being cut off.
        self.kb_tree.setWordWrap(True)
        self.kb_tree.header().sectionResized.connect(lambda *_: self._fit_reasons())
        self.kb_tree.setAccessibleName(self.tr("Knowledge bases and documents"))
        self.kb_tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.kb_tree.customContextMenuRequested.connect(self._on_kb_tree_menu)
        # Both lists keep a few rows even in a short window with the indexing panel open.
        self.kb_tree.setMinimumHeight(72)
        layout.addWidget(self.kb_tree, 3)
        row = QGridLayout()
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.setAccessibleName(self.tr("Add documents"))
        add_menu = QMenu(self)
        self.add_actions = [
            add_menu.addAction(self.tr("Files…"), self.add_files_requested.emit),
            add_menu.addAction(self.tr("Folder…"), self.add_folder_requested.emit),
            add_menu.addAction(self.tr("Watch folder…"), self.watch_requested.emit),
        ]
        self.add_button.setMenu(add_menu)
        self.reindex_button = QPushButton(self.tr("Re-index"))
        self.reindex_button.clicked.connect(self._on_reindex_clicked)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.kb_tree.currentItemChanged.connect(self._on_current_row_changed)
        self.kb_tree.itemChanged.connect(self._on_kb_tree_item_changed)
        # Two rows: in one, Russian labels alone would make the sidebar wider than a third
        # of an 800 px window.
        row.addWidget(self.add_button, 0, 0)
        row.addWidget(self.remove_button, 0, 1)
        row.addWidget(self.reindex_button, 1, 0, 1, 2)
        layout.addLayout(row)
        header = QHBoxLayout()
        self.conversations_title = self._title(self.tr("Conversations"))
        header.addWidget(self.conversations_title)
        header.addStretch(1)
        self.new_chat_button = QPushButton(self.tr("New chat"))
        self.new_chat_button.setToolTip(self.tr("New chat (Ctrl+N)"))
        self.new_chat_button.clicked.connect(self.new_chat_requested)
        header.addWidget(self.new_chat_button)
        layout.addSpacing(6)
        layout.addLayout(header)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search conversations"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_changed)
        self.search.installEventFilter(self)
        self._name_clear_button()
        layout.addWidget(self.search)
        self.conversations = QListWidget()
        self.conversations.setAccessibleName(self.tr("Conversations"))
        self.conversations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conversations.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.conversations.itemClicked.connect(self._on_conversation_clicked)
        self.conversations.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.conversations.customContextMenuRequested.connect(self._on_conversation_menu)
        # A right click opens the menu without selecting: the shown conversation stays lit.
        self.conversations.viewport().installEventFilter(self)
        self.conversations.setMinimumHeight(72)
        layout.addWidget(self.conversations, 2)

    def _translate_statuses(self) -> None:
        # Translated once per language: a refresh may show thousands of documents.
        self._status_names = {
            DocumentStatus.QUEUED: self.tr("queued"),
            DocumentStatus.INDEXING: self.tr("indexing"),
            DocumentStatus.READY: self.tr("ready"),
            DocumentStatus.FAILED: self.tr("failed"),
        }

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Set every fixed text again in the language just installed (document rows at
        the next refresh)."""
        self._translate_statuses()
        self._forget_shown_rows()
        self.knowledge_title.setText(self.tr("Knowledge").upper())
        self.new_kb_button.setText(self.tr("New…"))
        self.new_kb_button.setAccessibleName(self.tr("New knowledge base"))
        self.new_kb_button.setToolTip(self.tr("New knowledge base"))
        self.kb_label.setText(self.tr("Ask in"))
        name_combo(self.kb_picker, self.tr("Knowledge base for questions and new documents"))
        self.kb_picker.setToolTip(self.tr("Knowledge base for questions and new documents"))
        self.conversations_title.setText(self.tr("Conversations").upper())
        self.kb_tree.setAccessibleName(self.tr("Knowledge bases and documents"))
        self.add_button.setText(self.tr("Add…"))
        self.add_button.setAccessibleName(self.tr("Add documents"))
        texts = [self.tr("Files…"), self.tr("Folder…"), self.tr("Watch folder…")]
        for action, text in zip(self.add_actions, texts, strict=True):
            action.setText(text)
        self.reindex_button.setText(self.tr("Re-index"))
        self.remove_button.setText(self.tr("Remove"))
        self.new_chat_button.setText(self.tr("New chat"))
        self.new_chat_button.setToolTip(self.tr("New chat (Ctrl+N)"))
        self.search.setPlaceholderText(self.tr("Search conversations"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self._name_clear_button()
        self.conversations.setAccessibleName(self.tr("Conversations"))

    def _name_clear_button(self) -> None:
        # Qt's own clear button has no name; Esc in the field does the same from the keys.
        for button in self.search.findChildren(QToolButton):
            button.setAccessibleName(self.tr("Clear search"))
            button.setToolTip(self.tr("Clear search (Esc)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.RightButton
            and watched is not self.search
            and watched is self.conversations.viewport()
        ):
            return True  # a right click opens the menu without selecting (its own event)
        # Esc clears the search (taken before the window's Esc, which stops an answer).
        escape = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
        if watched is self.search and self.search.text() and escape:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def set_colors(self, colors: Colors) -> None:
        """A new theme: document rows take its colours at the next refresh."""
        self._colors = colors
        self._forget_shown_rows()

    def _forget_shown_rows(self) -> None:
        """Draw every document row again at the next refresh (new words or colours)."""
        for row in self._all_rows():
            row.shown = None

    def _all_rows(self) -> list[_DocumentRow]:
        return [
            row
            for folders in self._doc_rows.values()
            for rows in folders.values()
            for row in rows.values()
        ]

    # ---- knowledge bases ------------------------------------------------------------------

    def show_knowledge(
        self, summaries: list[KnowledgeBaseSummary], documents: dict[str, list[DocumentRecord]]
    ) -> None:
        """Show the knowledge bases and their documents, changing the tree in place.

        Rows are kept by knowledge base name and document id, and only what changed is
        touched: expansion, the selection and the scroll position survive a refresh, and
        an unchanged document costs a comparison.
        """
        tree = self.kb_tree
        names = {summary.record.name for summary in summaries}
        for name in [name for name in self._kb_items if name not in names]:
            tree.takeTopLevelItem(tree.indexOfTopLevelItem(self._kb_items.pop(name)))
            del self._doc_rows[name], self._folder_items[name]
        for position, summary in enumerate(summaries):
            name = summary.record.name
            top = self._kb_items.get(name)
            if top is not None and tree.topLevelItem(position) is not top:
                # Bases are listed by name, so this does not happen; a moved row is new.
                tree.takeTopLevelItem(tree.indexOfTopLevelItem(top))
                del self._doc_rows[name], self._folder_items[name]
                top = None
            if top is None:
                top = QTreeWidgetItem()
                top.setData(0, ROLE_KB, name)
                top.setData(0, ROLE_DOC, "")
                tree.insertTopLevelItem(position, top)
                top.setFirstColumnSpanned(True)
                top.setExpanded(len(summaries) == 1)
                self._kb_items[name] = top
                self._doc_rows[name] = {}
                self._folder_items[name] = {}
            documents_text = self.tr("%n documents", "", summary.document_count)
            chunks_text = self.tr("%n chunks", "", summary.chunk_count)
            # The row says what fits a sidebar; the tooltip says the chunks too.
            top.setText(0, f"{name}  ·  {documents_text}")
            ticked = self.tr("Ticked: questions search it")
            top.setToolTip(0, f"{name}  ·  {documents_text} · {chunks_text}\n{ticked}")
            self._show_documents(top, name, documents.get(name, []))
        self._fit_status_column()
        self._show_kb_choices(sorted(names | {self._active_kb} - {""}, key=str.casefold))

    # ---- the knowledge base that is asked -----------------------------------------------

    def set_active_kb(self, name: str) -> None:
        """Show `name` as the knowledge base questions search (its row in bold)."""
        self._active_kb = name
        names = [self.kb_picker.itemText(i) for i in range(self.kb_picker.count())]
        self._show_kb_choices(sorted({*names, name}, key=str.casefold))

    def _show_kb_choices(self, names: list[str]) -> None:
        picker = self.kb_picker
        picker.blockSignals(True)
        if [picker.itemText(i) for i in range(picker.count())] != names:
            picker.clear()
            picker.addItems(names)
        picker.setCurrentText(self._active_kb)
        picker.blockSignals(False)
        # The ticks first: a font change is an item change too, and must not be read as a
        # person ticking the base that was asked in until now.
        self._show_ticks()
        self._ticking = True
        try:
            for name, item in self._kb_items.items():
                font = item.font(0)
                font.setBold(name == self._active_kb)
                item.setFont(0, font)
        finally:
            self._ticking = False

    def set_searched_kbs(self, names: list[str]) -> None:
        """Tick the knowledge bases questions search besides the one asked in."""
        self._also_searched = set(names)
        self._show_ticks()

    def _show_ticks(self) -> None:
        """Each knowledge base's tick: whether questions search it. The one asked in is
        always searched: taking its tick off puts it back (a tick drawn disabled read as a
        black box)."""
        self._ticking = True
        try:
            for name, item in self._kb_items.items():
                asked = name == self._active_kb
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                searched = asked or name in self._also_searched
                state = Qt.CheckState.Checked if searched else Qt.CheckState.Unchecked
                if item.checkState(0) != state:
                    item.setCheckState(0, state)
        finally:
            self._ticking = False

    def _on_kb_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._ticking or item.parent() is not None or column != 0:
            return
        name = str(item.data(0, ROLE_KB))
        ticked = item.checkState(0) == Qt.CheckState.Checked
        if name == self._active_kb:
            if not ticked:
                self._show_ticks()
            return
        if ticked == (name in self._also_searched):
            return
        if ticked:
            self._also_searched.add(name)
        else:
            self._also_searched.discard(name)
        self.kbs_searched_changed.emit(sorted(self._also_searched, key=str.casefold))

    def _on_rename_kb(self) -> None:
        kb, _ = self.selected_kb()
        if not kb:
            return
        name = ask_text(self, self.tr("Rename knowledge base"), self.tr("New name:"), kb)
        if name and name != kb:
            self.kb_rename_requested.emit(kb, name)

    def _on_kb_picked(self, name: str) -> None:
        if name != self._active_kb:
            self.kb_chosen.emit(name)

    def _on_new_kb_clicked(self) -> None:
        name = ask_text(self, self.tr("New knowledge base"), self.tr("Name:"))
        if name:
            self.kb_create_requested.emit(name)

    def _on_ask_here(self) -> None:
        kb, _ = self.selected_kb()
        if kb:
            self.kb_chosen.emit(kb)

    def _show_documents(self, top: QTreeWidgetItem, kb: str, docs: list[DocumentRecord]) -> None:
        """Bring a knowledge base's folder and document rows in line with `docs`: one row
        per folder (collapsible, with its count) when they come from several folders."""
        groups = folder_groups(docs)
        folders = self._folder_items[kb]
        wanted = [folder for folder, _, _ in groups] if len(groups) > 1 else [""]
        if ("" in folders) != (wanted == [""]):
            # From one folder to several or back: the rows are made again.
            top.takeChildren()
            folders.clear()
            self._doc_rows[kb] = {}
        rows = self._doc_rows[kb]
        for folder in [folder for folder in folders if folder not in wanted]:
            top.removeChild(folders.pop(folder))
            del rows[folder]
        if wanted == [""]:
            folders[""] = top
            rows[""] = self._show_rows(top, kb, groups[0][2] if groups else [], rows.get("", {}))
            return
        for position, (folder, label, members) in enumerate(groups):
            item = folders.get(folder)
            if item is None or top.indexOfChild(item) != position:
                if item is not None:
                    top.removeChild(item)
                    rows.pop(folder, None)
                item = QTreeWidgetItem()
                item.setData(0, ROLE_KB, kb)
                item.setData(0, ROLE_DOC, "")
                item.setData(0, ROLE_FOLDER, folder)
                item.setToolTip(0, folder)
                top.insertChild(position, item)
                item.setExpanded(True)
                folders[folder] = item
            item.setText(0, label)
            item.setText(1, self.tr("%n documents", "", len(members)))
            rows[folder] = self._show_rows(item, kb, members, rows.get(folder, {}))

    def _show_rows(
        self,
        parent: QTreeWidgetItem,
        kb: str,
        docs: list[DocumentRecord],
        rows: dict[str, _DocumentRow],
    ) -> dict[str, _DocumentRow]:
        """Bring one folder's document rows in line with `docs`, in their order; return
        the rows by document id."""
        wanted = {doc.doc_id for doc in docs}
        kept = [doc_id for doc_id in rows if doc_id in wanted]
        if kept != [doc.doc_id for doc in docs if doc.doc_id in rows]:
            # Documents are listed by name, so their order does not change; if it did,
            # their rows would be made again.
            kept = []
        keep = set(kept)
        for doc_id in [doc_id for doc_id in rows if doc_id not in keep]:
            parent.removeChild(rows.pop(doc_id).item)
        # The kept rows are in order, so each new row goes where the loop has got to.
        ordered: dict[str, _DocumentRow] = {}
        for position, doc in enumerate(docs):
            row = rows.get(doc.doc_id)
            if row is None:
                item = QTreeWidgetItem()
                item.setData(0, ROLE_KB, kb)
                item.setData(0, ROLE_DOC, doc.doc_id)
                parent.insertChild(position, item)
                row = _DocumentRow(item)
            ordered[doc.doc_id] = row
            if row.shown != doc:
                self._show_document(row, doc)
        return ordered

    def _reading_notes(self, doc: DocumentRecord) -> str:
        """How a ready document's text was read, when there is something to say: by OCR,
        pages of low confidence, a repaired encoding ("" otherwise)."""
        notes = doc.notes
        words = []
        if notes.ocr_pages:
            words.append(self.tr("read by OCR"))
        if notes.uncertain_pages:
            pages = ", ".join(str(n) for n in notes.uncertain_pages)
            words.append(
                self.tr("low confidence on pages %1", "", len(notes.uncertain_pages)).replace(
                    "%1", pages
                )
            )
        if notes.repaired:
            words.append(self.tr("repaired text encoding"))
        return " · ".join(words)

    def _show_document(self, row: _DocumentRow, doc: DocumentRecord) -> None:
        item = row.item
        failed = doc.status is DocumentStatus.FAILED
        ready = doc.status is DocumentStatus.READY
        notes = self._reading_notes(doc) if ready else ""
        item.setText(0, os.path.basename(doc.path))
        item.setData(0, ROLE_READY_PATH, doc.path if ready else None)
        if failed:
            item.setToolTip(0, f"{doc.path}\n{doc.error}")
        else:
            item.setToolTip(0, f"{doc.path}\n{notes}" if notes else doc.path)
        if doc.status is DocumentStatus.READY:
            row.status = self.tr("%n chunks", "", doc.chunk_count)
            status_brush: QBrush | None = self.palette().placeholderText()
        else:
            row.status = self._status_names[doc.status]
            status_brush = self._error_brush() if failed else None
        item.setText(1, row.status)
        # None clears a colour set while the document had another status.
        item.setData(0, Qt.ItemDataRole.ForegroundRole, self._error_brush() if failed else None)
        item.setData(1, Qt.ItemDataRole.ForegroundRole, status_brush)
        if failed:
            self._show_line(item, doc.error or row.status, self._error_brush())
        else:
            self._show_line(item, notes, self.palette().placeholderText())
        row.shown = doc

    def _show_line(self, item: QTreeWidgetItem, text: str, brush: QBrush) -> None:
        """A row under a document: a failed one's reason (red), or how a ready one was
        read (muted); "" removes it."""
        if not text:
            if item.childCount():
                item.takeChild(0)
            return
        line = item.child(0)
        if line is None:
            line = QTreeWidgetItem()
            item.addChild(line)
            line.setFirstColumnSpanned(True)
            item.setExpanded(True)
        line.setForeground(0, brush)
        line.setText(0, text)
        line.setToolTip(0, text)
        self._fit_reason(line)

    def _fit_reason(self, line: QTreeWidgetItem) -> None:
        """Make a reason's row as tall as its wrapped sentence at the tree's width."""
        tree = self.kb_tree
        depth, parent = 0, line.parent()
        while parent is not None:
            depth, parent = depth + 1, parent.parent()
        width = max(60, tree.viewport().width() - depth * tree.indentation() - 8)
        bounds = QFontMetrics(tree.font()).boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, line.text(0)
        )
        line.setSizeHint(0, QSize(width, bounds.height() + 4))

    def _fit_reasons(self) -> None:
        for folders in self._doc_rows.values():
            for rows in folders.values():
                for row in rows.values():
                    line = row.item.child(0)
                    if line is not None:
                        self._fit_reason(line)

    def _fit_status_column(self) -> None:
        """Size the status column to its widest text (a folder's count included: "400
        documents" was cut to "4…"), without measuring every row in Qt."""
        texts = {row.status for row in self._all_rows()}
        texts |= {
            item.text(1)
            for folders in self._folder_items.values()
            for folder, item in folders.items()
            if folder
        }
        width = max((self._status_width(text) for text in texts), default=0)
        if width != self.kb_tree.columnWidth(1):
            self.kb_tree.header().resizeSection(1, width)

    def _status_width(self, text: str) -> int:
        """What the item delegate asks for `text`: its advance and the style's text margins."""
        width = self._status_widths.get(text)
        if width is None:
            tree = self.kb_tree
            tree.ensurePolished()
            margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree)
            width = math.ceil(QFontMetricsF(tree.font()).horizontalAdvance(text)) + 2 * (margin + 1)
            self._status_widths[text] = width
        return width

    def _error_brush(self) -> QBrush:
        return QBrush(QColor(self._colors.error))

    def selected_kb(self) -> tuple[str, str]:
        """The selected knowledge base and document id ("" when a base is selected)."""
        item = self.kb_tree.currentItem()
        if item is None:
            return "", ""
        return str(item.data(0, ROLE_KB) or ""), str(item.data(0, ROLE_DOC) or "")

    def _on_reindex_clicked(self) -> None:
        kb, _ = self.selected_kb()
        if kb:
            self.reindex_requested.emit(kb)

    def _on_current_row_changed(self, item: QTreeWidgetItem | None) -> None:
        # A folder row removes nothing (never the whole base by mistake).
        self.remove_button.setEnabled(item is None or not item.data(0, ROLE_FOLDER))

    def _on_remove_clicked(self) -> None:
        item = self.kb_tree.currentItem()
        if item is not None and item.data(0, ROLE_FOLDER):
            return
        kb, doc = self.selected_kb()
        if kb:
            self.remove_requested.emit(kb, doc)

    def _on_kb_tree_menu(self, pos: QPoint) -> None:
        tree = self.kb_tree
        item = tree.itemAt(pos)
        if item is None:
            return
        if item.isSelected():  # one of several chosen rows: they stay chosen
            tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            tree.setCurrentItem(item)
        menu = QMenu(self)
        chosen = chosen_documents(tree.selectedItems(), str(item.data(0, ROLE_KB) or ""))
        if item.data(0, ROLE_READY_PATH) and chosen is not None:
            if len(chosen.documents) > 1:
                text = self.tr("Compare these documents")
            else:
                text = self.tr("Ask about this document")
            menu.addAction(text, lambda: self.documents_chosen.emit(chosen))
            menu.addSeparator()
        if item.parent() is None:
            menu.addAction(self.tr("Ask in this knowledge base"), self._on_ask_here)
            menu.addAction(self.tr("Rename…"), self._on_rename_kb)
        menu.addAction(self.tr("Re-index"), self._on_reindex_clicked)
        if not item.data(0, ROLE_FOLDER):
            menu.addAction(self.tr("Remove"), self._on_remove_clicked)
        menu.popup(self.kb_tree.viewport().mapToGlobal(pos))

    # ---- conversations --------------------------------------------------------------------

    def show_conversations(self, conversations: list[Conversation], current: int | None) -> None:
        self.conversations.clear()
        for conversation in conversations:
            item = QListWidgetItem(conversation.title)
            item.setData(ROLE_DOC, conversation.conversation_id)
            item.setToolTip(conversation.title)
            self.conversations.addItem(item)
            if conversation.conversation_id == current:
                item.setSelected(True)
                self.conversations.setCurrentItem(item)

    def _on_conversation_clicked(self, item: QListWidgetItem) -> None:
        self.conversation_selected.emit(int(item.data(ROLE_DOC)))

    def _on_conversation_menu(self, pos: QPoint) -> None:
        item = self.conversations.itemAt(pos)
        if item is None:
            return
        cid = int(item.data(ROLE_DOC))
        menu = QMenu(self)
        menu.addAction(self.tr("Rename…"), lambda: self._rename(cid, item.text()))
        menu.addAction(self.tr("Export to Markdown…"), lambda: self.conversation_exported.emit(cid))
        menu.addAction(self.tr("Delete"), lambda: self.conversation_deleted.emit(cid))
        menu.popup(self.conversations.viewport().mapToGlobal(pos))

    def conversation_title(self, cid: int) -> str:
        """The title a listed conversation shows ("" when it is not listed)."""
        for row in range(self.conversations.count()):
            item = self.conversations.item(row)
            if item is not None and item.data(ROLE_DOC) == cid:
                return item.text()
        return ""

    def _rename(self, cid: int, title: str) -> None:
        text = ask_text(self, self.tr("Rename conversation"), self.tr("Title:"), title)
        if text:
            self.conversation_renamed.emit(cid, text)


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str:
    """Ask for one line of text in a dialog wide enough for a title; "" when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setMinimumWidth(460)
    dialog.resize(460, dialog.sizeHint().height())
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return ""
    return dialog.textValue().strip()
