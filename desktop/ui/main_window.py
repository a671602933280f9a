"""The main window: sidebar, chat, top bar, background work, drops, shortcuts, geometry."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations import export_file_name
from desktop.core.documents import DEFAULT_KB
from desktop.core.errors import AppError, StoreError
from desktop.core.formats import dialog_patterns
from desktop.core.settings import Settings
from desktop.ui.admin import ModelsController, SettingsController
from desktop.ui.chat_controller import ChatController
from desktop.ui.chat_view import ChatView
from desktop.ui.controller_base import Base, MessageChannel
from desktop.ui.documents_controller import DocumentsController, pdf_page_url
from desktop.ui.drop_overlay import DropOverlay
from desktop.ui.ingest_panel import IngestPanel
from desktop.ui.provider_controller import ProviderController
from desktop.ui.render import hint_html, warm_lexers
from desktop.ui.services import AppContext, WindowServices
from desktop.ui.sidebar import Sidebar
from desktop.ui.source_controller import SourceController
from desktop.ui.tasks import TaskRegistry
from desktop.ui.theme import Colors
from desktop.ui.top_bar import TopBar
from desktop.ui.welcome_dialog import WelcomeDialog

log = logging.getLogger(__name__)

STATE_FILE = "window.json"


class MainWindow(QMainWindow):
    """Hearth's window.

    Signals:
        settings_applied(object, object): the old and new `Settings` after a save (the
            application re-applies the theme and the language).
    """

    settings_applied = Signal(object, object)

    def __init__(self, ctx: AppContext, colors: Colors, tasks: TaskRegistry) -> None:
        super().__init__()
        self.ctx = ctx
        self.colors = colors
        self.tasks = tasks
        self.services: WindowServices | None = None
        self.channel = MessageChannel(self)  # freed with the window, on its thread
        self._state = self._read_state()
        kb = self._state.get("kb")
        self.kb_name = kb if isinstance(kb, str) and kb else DEFAULT_KB
        also = self._state.get("also_searched")
        # The knowledge bases questions search besides the one asked in (ticked in the tree).
        self._also_searched = (
            [n for n in also if isinstance(n, str)] if isinstance(also, list) else []
        )
        self._ready_docs = 0
        self._model_available = True
        self._setup_ui()
        self._wire()
        self._restore_geometry()

    # ---- construction ---------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setWindowTitle("Hearth")
        self.setAcceptDrops(True)
        self.resize(1200, 780)
        self.setMinimumSize(800, 600)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.top_bar = TopBar(self.colors)
        layout.addWidget(self.top_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        self.sidebar = Sidebar(self.colors)
        self.ingest_panel = IngestPanel()
        self.ingest_panel.running_changed.connect(self._update_empty_state)
        left_layout.addWidget(self.sidebar, 1)
        left_layout.addWidget(self.ingest_panel)
        # No fixed minimum: the sidebar is as narrow as its buttons allow in the language
        # shown, so no button is ever cut.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        self.message_bar = QWidget()
        self.message_bar.setObjectName("MessageBar")
        self.message_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar_layout = QHBoxLayout(self.message_bar)
        bar_layout.setContentsMargins(12, 6, 6, 6)
        self.message_text = QLabel()
        self.message_text.setWordWrap(True)
        self.message_text.setTextFormat(Qt.TextFormat.RichText)
        self.message_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Shown only with the "no application opens this file" message.
        self.open_folder_button = QPushButton(self.tr("Open folder"))
        self.open_folder_button.clicked.connect(self._open_message_folder)
        self.open_folder_button.hide()
        self._message_folder = ""
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.message_bar.hide)
        bar_layout.addWidget(self.message_text, 1)
        bar_layout.addWidget(self.open_folder_button)
        bar_layout.addWidget(self.dismiss_button)
        self.message_bar.hide()
        self.chat = ChatView(self.colors)
        right_layout.addWidget(self.message_bar)
        right_layout.addWidget(self.chat, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 900])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.overlay = DropOverlay(central)
        self.status = QLabel(self.tr("Starting…"))
        self.status.setObjectName("Muted")
        self.statusBar().addWidget(self.status, 1)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_chat)
        QShortcut(QKeySequence("Ctrl+K"), self, self.focus_model_picker)

    def _wire(self) -> None:
        kb = lambda: self.kb_name  # noqa: E731 (read at call time)
        self.chat_controller = ChatController(
            self.chat, self.tasks, self.channel, self.searched_kbs
        )
        self.knowledge = DocumentsController(
            self.sidebar, self.ingest_panel, self.tasks, self.channel, kb
        )
        self.providers = ProviderController(self.top_bar, self.tasks, self.channel)
        self.chat_controller.precheck = self.providers.local_problem
        self.settings_controller = SettingsController(self.tasks, self.channel)
        self.models_controller = ModelsController(
            self.tasks, self.channel, self.providers.poll, self.providers.use_cloud_model
        )
        self.sources = SourceController(self.tasks, self.channel, self.colors, self)
        self.controllers: list[Base] = [
            self.chat_controller,
            self.knowledge,
            self.providers,
            self.settings_controller,
            self.models_controller,
            self.sources,
        ]
        for controller in self.controllers:
            controller.setParent(self)
        self.channel.message.connect(self.show_message)
        self.chat_controller.conversations_changed.connect(self.refresh_conversations)
        self.chat.source_requested.connect(self.sources.show)
        self.sources.open_requested.connect(self.open_source)
        self.chat.empty_action.connect(self._on_action)
        self.knowledge.knowledge_changed.connect(self._on_knowledge_changed)
        self.providers.availability_changed.connect(self._on_availability_changed)
        self.settings_controller.applied.connect(self._on_settings_applied)
        self.settings_controller.embedder_changed.connect(self.knowledge.reembed_if_needed)
        s = self.sidebar
        s.add_files_requested.connect(self.add_files)
        s.add_folder_requested.connect(self.add_folder)
        s.watch_requested.connect(self.watch_folder)
        s.new_chat_requested.connect(self.new_chat)
        s.remove_requested.connect(self.remove)
        s.kb_chosen.connect(self.use_kb)
        s.documents_chosen.connect(self.chat.set_about)
        s.kb_create_requested.connect(lambda name: self.knowledge.create(name, self.use_kb))
        s.kb_rename_requested.connect(
            lambda name, new_name: self.knowledge.rename(name, new_name, self._on_kb_renamed)
        )
        s.kbs_searched_changed.connect(self._on_kbs_searched_changed)
        s.set_active_kb(self.kb_name)
        s.set_searched_kbs(self._also_searched)
        s.conversation_selected.connect(self.chat_controller.open_conversation)
        s.conversation_renamed.connect(self._rename_conversation)
        s.conversation_deleted.connect(self._delete_conversation)
        s.conversation_exported.connect(self._export_conversation)
        s.search_changed.connect(lambda _text: self.refresh_conversations())
        self.top_bar.models_requested.connect(lambda: self.models_controller.open(self))
        self.top_bar.settings_requested.connect(self.open_settings)

    def attach(self, services: WindowServices) -> None:
        """Connect the window to the opened services and load what it shows."""
        self.services = services
        self.tasks.start("warm-lexers", warm_lexers())
        for controller in self.controllers:
            controller.attach(services)
        self.status.setText(self.tr("Data folder: %1").replace("%1", str(self.data_dir)))
        if self.ctx.notice:
            self.show_message(self.ctx.notice, "", False)
        self.knowledge.refresh()
        self.knowledge.resume_interrupted()
        self.knowledge.reembed_if_needed()
        self.refresh_conversations()
        self.knowledge.watch(self.watched_folders())

    @property
    def data_dir(self) -> Path:
        return self.ctx.paths.data_dir

    # ---- window state ---------------------------------------------------------------------

    def _read_state(self) -> dict[str, object]:
        try:
            data = json.loads((self.data_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_state(self) -> None:
        self._state["geometry"] = base64.b64encode(bytes(self.saveGeometry().data())).decode()
        self._state["splitter"] = base64.b64encode(bytes(self.splitter.saveState().data())).decode()
        try:
            (self.data_dir / STATE_FILE).write_text(json.dumps(self._state), encoding="utf-8")
        except OSError as exc:
            log.info("window state not saved: %s", exc.strerror)

    def _restore_geometry(self) -> None:
        geometry, splitter = self._state.get("geometry"), self._state.get("splitter")
        if isinstance(geometry, str):
            self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        else:
            self._fit_screen()
        if isinstance(splitter, str):
            self.splitter.restoreState(QByteArray(base64.b64decode(splitter)))

    def _fit_screen(self) -> None:
        """The first window fits the screen it opens on, centred (a 1366x768 laptop or a
        small virtual screen would otherwise show it cut off at the edges)."""
        room = self.screen().availableGeometry()
        width = max(self.minimumWidth(), min(1200, room.width() - 40))
        height = max(self.minimumHeight(), min(780, room.height() - 60))
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(room.center())
        self.move(max(room.left(), frame.left()), max(room.top(), frame.top()))

    def watched_folders(self) -> list[str]:
        watched = self._state.get("watched")
        return [str(f) for f in watched] if isinstance(watched, list) else []

    @property
    def first_run(self) -> bool:
        return not self._state.get("welcomed")

    def set_colors(self, colors: Colors) -> None:
        """A new theme, applied in place: the palette and style sheet are app-wide
        (`theme.apply`); this gives the views the colours they draw with themselves."""
        self.colors = colors
        self.top_bar.set_colors(colors)
        self.sidebar.set_colors(colors)
        self.chat.set_colors(colors)
        self.sources.set_colors(colors)
        self._refresh_knowledge()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Set the window's own texts again in the language just installed."""
        self.dismiss_button.setText(self.tr("Dismiss"))
        self.open_folder_button.setText(self.tr("Open folder"))
        if self.services is None:
            self.status.setText(self.tr("Starting…"))
        else:
            self.status.setText(self.tr("Data folder: %1").replace("%1", str(self.data_dir)))
        self._update_empty_state()
        self._refresh_knowledge()

    def _refresh_knowledge(self) -> None:
        """Draw the knowledge tree again (its rows in the new language or colours)."""
        if self.services is not None:
            self.knowledge.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._write_state()
        for controller in self.controllers:
            controller.close()
        self.tasks.cancel_all()
        super().closeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        parent = self.overlay.parentWidget()
        if self.overlay.isVisible() and parent is not None:
            self.overlay.setGeometry(parent.rect())

    # ---- messages and empty states --------------------------------------------------------

    def show_message(self, text: str, hint: str, is_error: bool) -> None:
        shown = f"<b>{hint_html(text)}</b> {hint_html(hint)}" if is_error else hint_html(text)
        self.message_text.setText(shown.strip())
        # A notice ("Saved to …") is no failure: it is drawn in the quiet colours.
        self.message_bar.setProperty("kind", "error" if is_error else "info")
        self.message_bar.style().unpolish(self.message_bar)
        self.message_bar.style().polish(self.message_bar)
        self._message_folder = ""
        self.open_folder_button.hide()
        self.message_bar.show()

    def _on_knowledge_changed(self, ready: int) -> None:
        self._ready_docs = ready
        self._update_empty_state()

    def _on_availability_changed(self, available: bool) -> None:
        self._model_available = available
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        if self._ready_docs == 0 and self.ingest_panel.running():
            # The first documents are on their way: "Drop documents here to begin" read
            # as if the ones dropped had gone nowhere.
            self.chat.show_empty("indexing")
        elif self._ready_docs == 0:
            self.chat.show_empty("empty")
        elif not self._model_available:
            self.chat.show_empty("no_model")
        else:
            self.chat.show_empty("ready")

    # ---- documents ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.overlay.show_for(self.kb_name, len(urls))
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 (Qt override)
        self.overlay.hide()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        self.overlay.hide()
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.knowledge.add(paths)

    def add_files(self) -> None:
        supported = self.tr("Supported documents (%1)").replace("%1", " ".join(dialog_patterns()))
        every = self.tr("All files (*)")
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add documents"), "", f"{supported};;{every}"
        )
        if files:
            self.knowledge.add(files)

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder"))
        if folder:
            self.knowledge.add([folder])

    def watch_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Watch a folder"))
        if folder:
            self.watch(folder)

    def watch(self, folder: str) -> None:
        """Index a folder now and again whenever its files change."""
        watched = self.watched_folders()
        if folder not in watched:
            self._state["watched"] = [*watched, folder]
            self._write_state()
        self.knowledge.add([folder])
        self.knowledge.watch(self.watched_folders())

    def remove(self, kb: str, doc_id: str) -> None:
        item = self.sidebar.kb_tree.currentItem()
        name = item.text(0) if item is not None and doc_id else kb
        question = (
            self.tr("Remove “%1” from the knowledge base?")
            if doc_id
            else self.tr("Remove the knowledge base “%1” and its index?")
        )
        answer = QMessageBox.question(self, self.tr("Remove"), question.replace("%1", name))
        if answer == QMessageBox.StandardButton.Yes:
            self.knowledge.remove(kb, doc_id)
            if not doc_id and kb in self._also_searched:
                self._on_kbs_searched_changed([n for n in self._also_searched if n != kb])
                self.sidebar.set_searched_kbs(self._also_searched)
            if not doc_id and kb == self.kb_name:
                self.use_kb(DEFAULT_KB)

    def searched_kbs(self) -> list[str]:
        """The knowledge bases a question searches: the one asked in, then those ticked."""
        return [self.kb_name, *(n for n in self._also_searched if n != self.kb_name)]

    def _on_kbs_searched_changed(self, names: list[str]) -> None:
        self._also_searched = list(names)
        self._state["also_searched"] = self._also_searched
        self._write_state()

    def _on_kb_renamed(self, name: str, new_name: str) -> None:
        if name in self._also_searched:
            renamed = [new_name if n == name else n for n in self._also_searched]
            self._on_kbs_searched_changed(renamed)
            self.sidebar.set_searched_kbs(renamed)
        if name == self.kb_name:
            self.use_kb(new_name)

    def use_kb(self, name: str) -> None:
        """Ask questions in, and add new documents to, the knowledge base `name`."""
        self.kb_name = name
        self._state["kb"] = name
        self._write_state()
        self.sidebar.set_active_kb(name)

    def open_source(self, path: str, page: int) -> None:
        """Open a cited file; say so, and offer its folder, when nothing on the system can."""
        if QDesktopServices.openUrl(QUrl(pdf_page_url(path, page))):
            return
        file = Path(path)
        text = self.tr("No application on this computer opens %1. It is in the folder %2.")
        self.show_message(text.replace("%1", file.name).replace("%2", str(file.parent)), "", False)
        self._message_folder = str(file.parent)
        self.open_folder_button.show()

    def _open_message_folder(self) -> None:
        if self._message_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self._message_folder))

    # ---- conversations --------------------------------------------------------------------

    def new_chat(self) -> None:
        self.chat_controller.new_chat()
        self._update_empty_state()
        self.sidebar.conversations.clearSelection()
        self.chat.composer.setFocus()

    def focus_model_picker(self) -> None:
        self.top_bar.model_picker.setFocus()
        self.top_bar.model_picker.showPopup()

    def refresh_conversations(self) -> None:
        async def run() -> None:
            assert self.services is not None
            k = await self.services.knowledge()
            found = await k.conversations.conversations(self.sidebar.search.text().strip())
            self.sidebar.show_conversations(found, self.chat_controller.conversation_id)

        self.chat_controller.start("conversations", run)

    def _rename_conversation(self, cid: int, title: str) -> None:
        async def run() -> None:
            assert self.services is not None
            k = await self.services.knowledge()
            await k.conversations.rename(cid, title)
            self.refresh_conversations()

        self.chat_controller.start("conversation-edit", run)

    def _delete_conversation(self, cid: int) -> None:
        answer = QMessageBox.question(
            self, self.tr("Delete conversation"), self.tr("Delete this conversation?")
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        async def run() -> None:
            assert self.services is not None
            k = await self.services.knowledge()
            await k.conversations.delete(cid)
            if self.chat_controller.conversation_id == cid:
                self.new_chat()
            self.refresh_conversations()

        self.chat_controller.start("conversation-edit", run)

    def _export_conversation(self, cid: int) -> None:
        name = export_file_name(self.sidebar.conversation_title(cid))
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to Markdown"), name, "Markdown (*.md)"
        )
        if target:
            self.chat_controller.start("export", lambda: self.export_conversation(cid, target))

    async def export_conversation(self, cid: int, target: str) -> None:
        """Write a conversation as Markdown to `target` (readable by its owner only)."""
        assert self.services is not None
        k = await self.services.knowledge()
        try:
            await k.conversations.export_to(cid, Path(target))
        except StoreError as exc:
            raise AppError(self.tr("The conversation could not be saved."), exc.message) from exc
        self.channel.info(self.tr("Saved to %1").replace("%1", target))

    # ---- settings and first run -----------------------------------------------------------

    def open_settings(self) -> None:
        if self.services is not None:
            self.settings_controller.open(self)

    def _on_settings_applied(self, old: Settings, new: Settings) -> None:
        self.providers.set_mode(new.provider.mode)
        self.top_bar.set_mode(new.provider.mode)
        self.providers.poll()
        self.settings_applied.emit(old, new)

    def _on_action(self, action: str) -> None:
        if action == "add":
            self.add_files()
        elif action == "settings":
            self.open_settings()

    def show_welcome(self) -> WelcomeDialog:
        """The first-run welcome; it probes the local server as it opens."""
        dialog = WelcomeDialog(self)
        dialog.action.connect(self._on_action)
        self._state["welcomed"] = True
        self._write_state()

        async def probe() -> None:
            assert self.services is not None
            local = self.services.local
            try:
                status = await local.status()
                # Counted as the picker offers them: an embedding model cannot answer.
                listed = await local.list_models() if status.reachable else []
                models = len(await self.providers.chat_models(listed, inspect=True))
            except AppError:
                status, models = None, 0
            dialog.show_local(status, local.base_url, models)

        self.chat_controller.start("welcome", probe)
        dialog.open()
        return dialog
