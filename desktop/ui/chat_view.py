"""The conversation: the transcript document and its composer.

The view holds no logic: it renders what the controller gives it and emits intent signals.
Tokens are buffered and drawn on a ~30 ms timer, never once per token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextOption,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations import StoredCitation
from desktop.ui.chosen_documents import ChosenDocuments
from desktop.ui.composer import Composer
from desktop.ui.empty_state import EmptyState
from desktop.ui.flow_layout import FlowLayout
from desktop.ui.links import Link, LinkKind
from desktop.ui.render import (
    LiveAnswer,
    MessageEntry,
    Styler,
    cited_and_searched,
    question_frame_format,
    split_code,
)
from desktop.ui.theme import Colors

FLUSH_MS = 30
# A readable line: about this many average characters of the body font (CJK lines hold
# about half as many characters, which suits them too).
MEASURE_CHARS = 90


class ChatView(QWidget):
    """The conversation and the composer.

    Signals:
        question_submitted(str): a new question.
        edit_submitted(int, str): the question with that key was edited and resent.
        stop_requested: Stop or Esc.
        regenerate_requested(int): answer the question before that answer again.
        retry_requested(int): the failed answer with that key should be tried again.
        source_requested(object, int): show source `number` (the int) of the answer's
            sources (a list of `StoredCitation`, the ones to step through).
        empty_action(str): a button of the empty state ("add" or "settings").
    """

    question_submitted = Signal(str)
    edit_submitted = Signal(int, str)
    stop_requested = Signal()
    regenerate_requested = Signal(int)
    retry_requested = Signal(int)
    source_requested = Signal(object, int)
    empty_action = Signal(str)

    def __init__(self, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._styler = Styler(colors)
        self._colors = colors
        self._entries: dict[int, MessageEntry] = {}
        self._several_kbs = False  # the answer being drawn cites several knowledge bases
        self._frames: dict[int, QTextFrame] = {}
        self._live: dict[int, LiveAnswer] = {}
        self._next_key = 1
        self._editing: int | None = None
        self._about: ChosenDocuments | None = None
        self._busy = False
        # The view follows the conversation's end until the person scrolls away from it
        # (kept as a choice: a height change, such as a smaller window or a new theme or
        # language laying the text out again, moved the end away and ended the following).
        self._following = True
        self._quiet = False  # the view is being moved or drawn by this view itself
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.stack = QStackedWidget()
        self.empty = EmptyState()
        self.empty.action.connect(self.empty_action)
        self.browser = QTextBrowser()
        self.browser.setObjectName("ChatBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Conversation"))
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.document().setDocumentMargin(24)
        # Lines break between words, and a word (a code line without spaces, a long link)
        # wider than the transcript breaks anywhere: the transcript never scrolls sideways.
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.browser)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._actions_row())

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 8, 24, 16)
        self.edit_label = QLabel()
        self.edit_label.setObjectName("Muted")
        self.edit_label.hide()
        bottom_layout.addWidget(self.edit_label)
        bottom_layout.addWidget(self._about_chip())
        row = QHBoxLayout()
        self.composer = Composer()
        self.composer.setObjectName("Composer")
        self.composer.setPlaceholderText(
            self.tr("Ask a question… (Enter sends, Shift+Enter adds a line)")
        )
        self.composer.setAccessibleName(self.tr("Question"))
        self.composer.setFixedHeight(72)
        # Tab moves on to the next control, as in any form; a question needs no tab stops.
        self.composer.setTabChangesFocus(True)
        self.composer.submitted.connect(self._on_composer_submitted)
        self.composer.documents_dropped.connect(self.set_about)
        self.composer.installEventFilter(self)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("Primary")
        self.send_button.setAccessibleName(self.tr("Send question"))
        self.send_button.clicked.connect(self._on_composer_submitted)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop the answer"))
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc)"))
        self.stop_button.clicked.connect(self.stop_requested)
        self.stop_button.hide()
        row.addWidget(self.composer, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        bottom_layout.addLayout(row)
        layout.addWidget(bottom)
        stop = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        stop.setContext(Qt.ShortcutContext.WindowShortcut)
        stop.activated.connect(self._on_escape)
        self.browser.viewport().installEventFilter(self)
        bar = self.browser.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_scroll_range_changed)

    def _about_chip(self) -> QWidget:
        """The documents the next question is about, with a button that removes them (the
        question then searches the whole knowledge base again)."""
        self.about_chip = QWidget()
        self.about_chip.setObjectName("AboutChip")
        self.about_chip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self.about_chip)
        layout.setContentsMargins(10, 2, 4, 2)
        self.about_label = QLabel()
        self.about_label.setTextFormat(Qt.TextFormat.PlainText)
        self.about_remove = QToolButton()
        self.about_remove.setText("✕")
        self.about_remove.clicked.connect(lambda: self.set_about(None))
        layout.addWidget(self.about_label, 1)
        layout.addWidget(self.about_remove)
        row = QWidget()
        outer = QHBoxLayout(row)
        outer.setContentsMargins(0, 0, 0, 4)
        outer.addWidget(self.about_chip)
        outer.addStretch(1)
        row.hide()
        self._about_row = row
        return row

    def set_about(self, chosen: ChosenDocuments | None) -> None:
        """Make the next questions about these documents as a whole (None: the knowledge
        base again)."""
        self._about = chosen
        self._about_row.setVisible(chosen is not None)
        self._name_about()
        if chosen is not None:
            self.composer.setFocus()

    def about(self) -> ChosenDocuments | None:
        """The documents the next question is about, if any were chosen."""
        return self._about

    def _name_about(self) -> None:
        chosen = self._about
        names = ", ".join(chosen.names) if chosen is not None else ""
        if chosen is not None and len(chosen.documents) > 1:
            text = self.tr("Comparing: %1").replace("%1", names)
        else:
            text = self.tr("About: %1").replace("%1", names)
        self.about_label.setText(text)
        self.about_label.setToolTip(
            "\n".join(path for _, path in chosen.documents) if chosen is not None else ""
        )
        remove = self.tr("Ask the whole knowledge base again")
        self.about_remove.setAccessibleName(remove)
        self.about_remove.setToolTip(remove)
        self.about_chip.setAccessibleName(text)

    def _actions_row(self) -> QWidget:
        """The latest question's and answer's actions as real buttons: the links in the
        conversation are reached by Tab inside it, but assistive technology sees the
        conversation as text, so the same actions are here too."""
        row = QWidget()
        # The buttons wrap to a second line in a narrow window instead of being clipped.
        layout = FlowLayout(row)
        layout.setContentsMargins(24, 4, 24, 0)
        self.sources_button = QPushButton()
        self.sources_button.setMenu(QMenu(self.sources_button))
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(
            lambda: self._on_action_clicked(LinkKind.COPY_ANSWER, "assistant")
        )
        self.regenerate_button = QPushButton()
        self.regenerate_button.clicked.connect(
            lambda: self._on_action_clicked(LinkKind.REGENERATE, "assistant")
        )
        self.retry_button = QPushButton()
        self.retry_button.clicked.connect(
            lambda: self._on_action_clicked(LinkKind.RETRY, "assistant")
        )
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(lambda: self._on_action_clicked(LinkKind.EDIT, "user"))
        self.action_buttons = [
            self.sources_button,
            self.copy_button,
            self.regenerate_button,
            self.retry_button,
            self.edit_button,
        ]
        for button in self.action_buttons:
            button.setObjectName("MessageAction")
            button.hide()
            layout.addWidget(button)
        self._actions = row
        self._name_actions()
        return row

    def _name_actions(self) -> None:
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the answer"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setAccessibleName(self.tr("Write the answer again"))
        self.retry_button.setText(self.tr("Retry"))
        self.retry_button.setAccessibleName(self.tr("Try the failed answer again"))
        self.edit_button.setText(self.tr("Edit"))
        self.edit_button.setAccessibleName(self.tr("Edit the question and send it again"))
        for button in self.action_buttons:
            button.setToolTip(button.accessibleName())
        self._update_actions()

    def _latest(self, role: str) -> MessageEntry | None:
        found = [e for e in self._entries.values() if e.role == role and not e.streaming]
        return found[-1] if found else None

    def _update_actions(self) -> None:
        """Show the buttons that apply to the latest question and answer."""
        answer = self._latest("assistant") if not self._live else None
        question = self._latest("user")
        sources = cited_and_searched(answer)[0] if answer is not None else []
        key = answer.key if answer is not None else 0
        menu = self.sources_button.menu()
        menu.clear()
        for c in sources:
            label = self._chip_label(c).replace("\u00a0", " ").replace("\u2011", "-")
            action = menu.addAction(label)
            action.triggered.connect(lambda _=False, n=c.number: self.show_citation(key, n))
        label = self.tr("Sources (%1)").replace("%1", str(len(sources)))
        self.sources_button.setText(label)
        self.sources_button.setAccessibleName(label)
        self.sources_button.setToolTip(label)
        self.sources_button.setVisible(bool(sources))
        has_answer = answer is not None
        self.copy_button.setVisible(has_answer and bool(answer and answer.content))
        self.regenerate_button.setVisible(has_answer and not (answer and answer.error))
        self.retry_button.setVisible(has_answer and bool(answer and answer.error))
        self.edit_button.setVisible(question is not None)

    def _on_action_clicked(self, kind: LinkKind, role: str) -> None:
        entry = self._latest(role)
        if entry is not None:
            self._follow(Link(kind, entry.key))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Set the fixed texts again in the language just installed, and draw the
        conversation again in it (the empty state is set again by the window)."""
        self._name_actions()
        self._name_about()
        self.browser.setAccessibleName(self.tr("Conversation"))
        self.composer.setPlaceholderText(
            self.tr("Ask a question… (Enter sends, Shift+Enter adds a line)")
        )
        self.composer.setAccessibleName(self.tr("Question"))
        self.send_button.setText(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send question"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop the answer"))
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc)"))
        self._set_editing(self._editing)
        self._redraw()

    def set_colors(self, colors: Colors) -> None:
        """A new theme: the conversation shown is drawn again in its colours."""
        self._colors = colors
        self._styler = Styler(colors)
        self._redraw()

    def _redraw(self) -> None:
        """Draw every message again, in the colours and the language now in use (a light
        question box stayed in a dark window, "Copy" in a Russian one). An answer still
        arriving goes on from the words it has; a view scrolled to its end stays there."""
        if not self._entries:
            return
        with self._keeping_place():
            for frame in self._frames.values():
                frame.setFrameFormat(question_frame_format(self._colors))
            for key, entry in self._entries.items():
                self._render(key)
                if key in self._live:
                    live = self._live[key] = self._live_answer(key)
                    live.append(entry.content)
                    live.flush()

    # ---- state ----------------------------------------------------------------------------

    @property
    def document(self) -> QTextDocument:
        return self.browser.document()

    def entry(self, key: int) -> MessageEntry:
        return self._entries[key]

    def entries(self) -> list[MessageEntry]:
        return list(self._entries.values())

    def show_empty(self, state: str) -> None:
        """Show the empty state ("empty", "no_model", "ready") while no message is shown."""
        self.empty.show_state(state)
        if not self._entries:
            self.stack.setCurrentWidget(self.empty)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.stop_button.setVisible(busy)
        self.send_button.setEnabled(not busy)

    def clear(self) -> None:
        self._timer.stop()
        self._entries.clear()
        self._frames.clear()
        self._live.clear()
        self.document.clear()
        self._fit_measure()
        self._set_editing(None)
        self.stack.setCurrentWidget(self.empty)
        self._update_actions()

    def _set_editing(self, key: int | None) -> None:
        self._editing = key
        self.edit_label.setVisible(key is not None)
        if key is not None:
            self.edit_label.setText(self.tr("Editing a question: Enter resends it"))

    # ---- adding messages ------------------------------------------------------------------

    def add_message(self, entry: MessageEntry) -> int:
        """Show a finished message (a question, or an answer from history); return its key."""
        entry.key = self._next_key
        self._next_key += 1
        self._entries[entry.key] = entry
        if entry.role == "user":
            self._frames[entry.key] = self._new_frame()
        self._render(entry.key)
        self.stack.setCurrentWidget(self.browser)
        self._scroll_to_end()
        self._update_actions()
        return entry.key

    def begin_answer(self) -> int:
        """Start a streamed answer; return its key."""
        key = self.add_message(MessageEntry(0, "assistant", streaming=True))
        self._live[key] = self._live_answer(key)
        self._timer.start()
        self._update_actions()
        return key

    def _live_answer(self, key: int) -> LiveAnswer:
        return LiveAnswer(
            self.document, lambda: self._region(key), self._entries[key], self._styler
        )

    def _new_frame(self) -> QTextFrame:
        cursor = QTextCursor(self.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor.insertFrame(question_frame_format(self._colors))

    def _region(self, key: int) -> tuple[int, int]:
        """Where a message is: inside its frame (a question), or between the question
        frames around it (an answer)."""
        frame = self._frames.get(key)
        if frame is not None:
            return frame.firstPosition(), frame.lastPosition()
        keys = list(self._entries)
        index = keys.index(key)
        start, end = 0, self.document.characterCount() - 1
        before = [self._frames[k] for k in keys[:index] if k in self._frames]
        after = [self._frames[k] for k in keys[index + 1 :] if k in self._frames]
        if before:
            start = before[-1].lastPosition() + 1
        if after:
            end = after[0].firstPosition() - 1
        return start, end

    def append_token(self, key: int, text: str) -> None:
        live = self._live.get(key)
        if live is None:
            return
        if self._entries[key].waiting:
            live = self._restart_live(key)
        live.append(text)

    def append_thinking(self, key: int, text: str) -> None:
        entry = self._entries[key]
        first = not entry.thinking
        entry.thinking += text
        if first and key in self._live and not entry.content:
            self._restart_live(key)

    def set_waiting(self, key: int, text: str) -> None:
        """Say what a streaming answer waits for (searching, a model loading); the line goes
        when its first words or thoughts arrive."""
        entry = self._entries.get(key)
        if entry is None or key not in self._live or entry.content or entry.thinking:
            return
        entry.waiting = text
        self._render(key)
        self._live[key] = self._live_answer(key)

    def _restart_live(self, key: int) -> LiveAnswer:
        """Render the answer's region afresh (without its waiting line) and stream after it."""
        self._entries[key].waiting = ""
        self._render(key)
        live = self._live[key] = self._live_answer(key)
        return live

    def set_citations(self, key: int, citations: list[StoredCitation]) -> None:
        self._entries[key].citations = citations

    def set_notice(self, key: int, text: str) -> None:
        self._entries[key].notice = text

    def finish_answer(self, key: int, *, model: str, provider: str, speed: float) -> None:
        entry = self._entries[key]
        entry.model, entry.provider, entry.tokens_per_second = model, provider, speed
        self._end_stream(key)

    def fail_answer(self, key: int, message: str, hint: str, *, stopped: bool = False) -> None:
        """Show an error in the answer's place; text that had arrived stays. A `stopped`
        answer (the person asked for it) says so quietly, not as a failure."""
        entry = self._entries[key]
        entry.error, entry.hint, entry.stopped = message, hint, stopped
        self._end_stream(key)

    def abandon_answer(self, key: int, message: str) -> None:
        """The window is closing: the answer keeps the words that arrived and is marked
        stopped, without drawing (the window's widgets may already be deleted)."""
        self._live.pop(key, None)
        entry = self._entries[key]
        entry.error, entry.hint, entry.stopped, entry.streaming = message, "", True, False

    def _end_stream(self, key: int) -> None:
        live = self._live.pop(key, None)
        entry = self._entries[key]
        entry.streaming = False
        # The end of an answer shows its footer, unless the person scrolled up to read.
        with self._keeping_place():
            if live is not None and not entry.waiting:
                live.finish()
                self._render_footer(key, entry)
            else:
                entry.waiting = ""
                self._render(key)
        if not self._live:
            self._timer.stop()
        self._update_actions()

    def _on_timer_timeout(self) -> None:
        with self._keeping_place():
            for live in self._live.values():
                live.flush()

    def flush_now(self) -> None:
        """Draw buffered tokens at once (the benchmark and tests call this)."""
        self._on_timer_timeout()

    def _scroll_to_end(self) -> None:
        self._following = True
        self._scroll_to(self.browser.verticalScrollBar().maximum())

    def _scroll_to(self, value: int) -> None:
        self._quiet = True
        try:
            self.browser.verticalScrollBar().setValue(value)
        finally:
            self._quiet = False

    @contextmanager
    def _keeping_place(self) -> Iterator[None]:
        """Draw text again without moving the reader: the view follows the end, or stays
        where it was (the text taken out and put back moved it, to the top at worst)."""
        value = self.browser.verticalScrollBar().value()
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
            if self._following:
                self._scroll_to_end()
            else:
                self._scroll_to(value)

    def _on_scrolled(self, value: int) -> None:
        """The person moved the view (the wheel, keys, the bar): it follows the end only
        if that is where they left it."""
        if not self._quiet:
            self._following = value >= self.browser.verticalScrollBar().maximum() - 4

    def _on_scroll_range_changed(self, _minimum: int, _maximum: int) -> None:
        """The text was laid out anew (a new size, theme or language): a view following
        the end stays at it."""
        if self._following and not self._quiet:
            self._scroll_to_end()

    # ---- rendering ------------------------------------------------------------------------

    def _render(self, key: int) -> None:
        entry = self._entries[key]
        start, end = self._region(key)
        cursor = QTextCursor(self.document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if entry.role == "user":
            self._render_question(cursor, entry)
            return
        if entry.thinking:
            self._render_thinking(cursor, entry)
        if entry.streaming:
            if entry.waiting:
                fmt = QTextCharFormat(self._styler.muted)
                fmt.setFontItalic(True)
                cursor.insertText(entry.waiting, fmt)
                cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
            return
        entry.code_blocks = []
        body = self._live_answer(key)
        body.append(entry.content)
        body.finish()
        self._render_footer(key, entry)

    def _link(self, cursor: QTextCursor, text: str, link: Link, color: str | None = None) -> None:
        fmt = self._styler.link(color)
        fmt.setAnchor(True)
        fmt.setAnchorHref(link.href)
        cursor.insertText(text, fmt)

    def _render_question(self, cursor: QTextCursor, entry: MessageEntry) -> None:
        text = QTextCharFormat()
        text.setForeground(QColor(self._colors.text))
        cursor.insertText(entry.content, text)
        cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
        self._link(cursor, self.tr("Edit"), Link(LinkKind.EDIT, entry.key))
        cursor.insertText("   ", self._styler.muted)
        self._link(cursor, self.tr("Copy"), Link(LinkKind.COPY_QUESTION, entry.key))

    def _render_thinking(self, cursor: QTextCursor, entry: MessageEntry) -> None:
        arrow = "▾ " if entry.show_thinking else "▸ "
        self._link(
            cursor,
            arrow + self.tr("Thinking"),
            Link(LinkKind.THINKING, entry.key),
            self._colors.muted,
        )
        if entry.show_thinking:
            fmt = QTextCharFormat(self._styler.muted)
            fmt.setFontItalic(True)
            for line in entry.thinking.strip().split("\n"):
                cursor.insertBlock(QTextBlockFormat(), fmt)
                cursor.insertText(line, fmt)

    def _render_footer(self, key: int, entry: MessageEntry) -> None:
        cursor = QTextCursor(self.document)
        cursor.setPosition(self._region(key)[1])
        if entry.notice:
            cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
            cursor.insertText(entry.notice, self._styler.muted)
        if entry.error:
            self._render_error(cursor, entry)
        sources, searched = cited_and_searched(entry)
        # Passages from several knowledge bases: each chip names its base.
        self._several_kbs = len({c.kb for c in entry.citations}) > 1
        if sources:
            cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
            cursor.insertText(self.tr("Sources") + "  ", self._styler.muted)
            for c in sources:
                fmt = QTextCharFormat(self._styler.chip)
                fmt.setFontPointSize(8.5)
                fmt.setAnchor(True)
                fmt.setAnchorHref(Link(LinkKind.CITE, entry.key, c.number).href)
                # Hovering tells two passages of one file apart before the preview opens.
                fmt.setToolTip(" · ".join(p for p in (c.kb, c.source, c.section) if p))
                # Narrow no-break spaces pad the chip: a thin space would let it break.
                cursor.insertText(f"\u202f{self._chip_label(c)}\u202f", fmt)
                cursor.insertText("  ", self._styler.muted)
        if searched:
            # Retrieved but not cited: reachable, but quieter than the sources and folded.
            cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
            arrow = "▾ " if entry.show_searched else "▸ "
            label = self.tr("Also searched (%1)").replace("%1", str(len(searched)))
            self._link(
                cursor, arrow + label, Link(LinkKind.SEARCHED, entry.key), self._colors.muted
            )
            if entry.show_searched:
                cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
                for c in searched:
                    self._link(
                        cursor,
                        self._chip_label(c),
                        Link(LinkKind.CITE, entry.key, c.number),
                        self._colors.muted,
                    )
                    cursor.insertText("   ", self._styler.muted)
        cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
        self._render_last_line(cursor, entry)

    def _render_last_line(self, cursor: QTextCursor, entry: MessageEntry) -> None:
        """Where the answer was written, by which model how fast, and its links."""
        if entry.provider == "cloud":
            cloud = self._styler.link(self._colors.cloud, bold=True)
            cursor.insertText("☁ " + self.tr("Cloud") + "   ", cloud)
        meta = [entry.model] if entry.model else []
        if entry.tokens_per_second > 0:
            meta.append(self.tr("%1 tokens/s").replace("%1", f"{entry.tokens_per_second:.0f}"))
        if meta:
            cursor.insertText(" · ".join(meta) + "   ", self._styler.muted)
        # As the buttons under the conversation: Copy when there are words to copy, and
        # Regenerate unless the answer failed or stopped (its Retry, just above, does that;
        # the same action under two names, two lines apart, read as two different ones).
        links = []
        if entry.content:
            links.append((self.tr("Copy"), Link(LinkKind.COPY_ANSWER, entry.key)))
        if not entry.error:
            links.append((self.tr("Regenerate"), Link(LinkKind.REGENERATE, entry.key)))
        for number, (text, link) in enumerate(links):
            if number:
                cursor.insertText("   ", self._styler.muted)
            self._link(cursor, text, link)

    def _chip_label(self, c: StoredCitation) -> str:
        """`[n] name p. 3` (and `OCR` when OCR read the passage), with no place to
        break: a chip never wraps mid-name."""
        label = f"[{c.number}] {Path(c.source).name}"
        if self._several_kbs and c.kb:
            label = f"[{c.number}] {c.kb}: {Path(c.source).name}"
        if c.page is not None:
            label += " " + self.tr("p. %1").replace("%1", str(c.page))
        if c.ocr:
            label += " · " + self.tr("OCR")
        return label.replace(" ", "\u00a0").replace("-", "\u2011")

    def _render_error(self, cursor: QTextCursor, entry: MessageEntry) -> None:
        if entry.stopped:
            cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
            # Said in the window's language, whichever it was in when the answer stopped.
            cursor.insertText("■ " + self.tr("Stopped.") + "  ", self._styler.muted)
            self._link(
                cursor, self.tr("Retry"), Link(LinkKind.RETRY, entry.key), self._colors.muted
            )
            return
        block = QTextBlockFormat()
        block.setBackground(QColor(self._colors.error_bg))
        block.setTopMargin(6)
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(self._colors.error))
        fmt.setFontWeight(600)
        cursor.insertBlock(block, fmt)
        cursor.insertText("⚠ " + entry.error, fmt)
        if entry.hint:
            hint = QTextCharFormat()
            hint.setForeground(QColor(self._colors.text))
            cursor.insertBlock(block, hint)
            code = QTextCharFormat(hint)
            code.setFont(self._styler.mono)
            for part, is_code in split_code(entry.hint):
                cursor.insertText(part, code if is_code else hint)
        cursor.insertBlock(block, fmt)
        self._link(cursor, self.tr("Retry"), Link(LinkKind.RETRY, entry.key), self._colors.error)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())

    # ---- intents --------------------------------------------------------------------------

    def _on_composer_submitted(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self._busy:
            return
        self.composer.clear()
        editing = self._editing
        self._set_editing(None)
        if editing is not None:
            self.edit_submitted.emit(editing, text)
        else:
            self.question_submitted.emit(text)

    def _on_escape(self) -> None:
        if self._busy:
            self.stop_requested.emit()
        elif self._editing is not None:
            self._set_editing(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.browser.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_measure()
        # Esc in the composer must reach the window shortcut (QPlainTextEdit eats it).
        if (
            watched is self.composer
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.ignore()
            return False
        return super().eventFilter(watched, event)

    def _fit_measure(self) -> None:
        """Keep the conversation's lines to a readable measure: in a wide window the side
        margins grow and the text stays in a centred column."""
        measure = QFontMetrics(self.browser.font()).averageCharWidth() * MEASURE_CHARS
        margin = round(self.document.documentMargin())
        side = max(margin, (self.browser.viewport().width() - measure) // 2)
        root = self.document.rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        link = Link.parse(url.toString())
        if link is not None and link.key in self._entries:
            self._follow(link)

    def _follow(self, link: Link) -> None:
        """Do what a link (or the matching button) asks of its message."""
        entry = self._entries[link.key]
        kind = link.kind
        if kind is LinkKind.CITE and link.index is not None:
            self.show_citation(entry.key, link.index)
        elif kind is LinkKind.COPY_CODE and link.index is not None:
            if link.index < len(entry.code_blocks):
                QGuiApplication.clipboard().setText(entry.code_blocks[link.index])
        elif kind in (LinkKind.COPY_ANSWER, LinkKind.COPY_QUESTION):
            QGuiApplication.clipboard().setText(entry.content)
        elif kind is LinkKind.THINKING:
            entry.show_thinking = not entry.show_thinking
            self._render(entry.key)
        elif kind is LinkKind.SEARCHED:
            entry.show_searched = not entry.show_searched
            self._render(entry.key)
        elif self._busy:
            return  # nothing is asked again while an answer streams
        elif kind is LinkKind.REGENERATE:
            self.regenerate_requested.emit(entry.key)
        elif kind is LinkKind.RETRY:
            self.retry_requested.emit(entry.key)
        elif kind is LinkKind.EDIT:
            self.composer.setPlainText(entry.content)
            self.composer.setFocus()
            self._set_editing(entry.key)

    def show_citation(self, key: int, number: int) -> None:
        """Ask for source `number` of the answer `key`, to be stepped through with the
        other sources the answer cites (or with all it was given, for one only searched)."""
        entry = self._entries[key]
        cited = cited_and_searched(entry)[0]
        if any(c.number == number for c in entry.citations):
            among = cited if any(c.number == number for c in cited) else list(entry.citations)
            self.source_requested.emit(among, number)
