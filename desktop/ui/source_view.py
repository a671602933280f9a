"""The source view: a cited passage where it stands in its document.

A PDF page or a picture is drawn with the passage's rectangles over it; any other
document as its text with the passage marked and scrolled into view. The view only draws
what `SourceController` gives it and says what the person asks for (another citation,
the system viewer).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations import StoredCitation
from desktop.core.documents import Box
from desktop.core.sources import PageLocation, TextLocation
from desktop.ui.theme import Colors

# Pages are rendered at least this wide (pixels) so that a narrow window still reads well
# once it is widened, and at most this wide.
MIN_RENDER_WIDTH, MAX_RENDER_WIDTH = 900, 2400
# Space kept above a passage scrolled into view, as a share of the visible height.
_LEAD = 0.25
HIGHLIGHT_PAD = 2.0  # pixels around each highlighted line
PAGE_MARGIN = 14  # pixels of ground around the page


class PageCanvas(QWidget):
    """A rendered page on a plain ground, scaled to the widget's width, with the passage's
    boxes over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._boxes: tuple[Box, ...] = ()
        self._ground = QColor()
        self._edge = QColor()
        self._fill = QColor()
        self._mark = QColor()

    def set_page(self, image: QImage, boxes: tuple[Box, ...]) -> None:
        self._image = image
        self._boxes = boxes
        self.update()

    def set_colors(self, colors: Colors) -> None:
        self._ground = QColor(colors.surface)
        self._edge = QColor(colors.border)
        self._fill = QColor(colors.accent)
        self._fill.setAlpha(70)
        self._mark = QColor(colors.accent)
        self._mark.setAlpha(200)
        self.update()

    def fit(self, width: int) -> None:
        """Take `width` pixels across (the page and its margin) and the page's proportion
        down."""
        if self._image.isNull():
            return
        page = max(1, width - 2 * PAGE_MARGIN)
        height = round(page * self._image.height() / max(1, self._image.width()))
        self.setFixedSize(max(1, width), height + 2 * PAGE_MARGIN)

    def page_rect(self) -> QRectF:
        """Where the page is drawn, in this widget's coordinates."""
        return QRectF(self.rect()).adjusted(PAGE_MARGIN, PAGE_MARGIN, -PAGE_MARGIN, -PAGE_MARGIN)

    def highlight_rects(self) -> list[QRectF]:
        """The passage's rectangles in this widget's coordinates."""
        page = self.page_rect()
        x, y, w, h = page.x(), page.y(), page.width(), page.height()
        return [
            QRectF(
                x + left * w - HIGHLIGHT_PAD,
                y + top * h - HIGHLIGHT_PAD,
                (right - left) * w + 2 * HIGHLIGHT_PAD,
                (bottom - top) * h + 2 * HIGHLIGHT_PAD,
            )
            for left, top, right, bottom in self._boxes
        ]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._ground)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        page = self.page_rect()
        painter.drawImage(page, self._image)
        painter.setPen(QPen(self._edge, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(page.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.setPen(QPen(self._mark, 1.0))
        painter.setBrush(self._fill)
        for rect in self.highlight_rects():
            painter.drawRoundedRect(rect, 2.0, 2.0)
        painter.end()


class SourceView(QDialog):
    """One cited passage at a time, with Previous and Next through the answer's sources.

    Signals:
        citation_requested(object): show this `StoredCitation` (opened, or Previous/Next).
        open_requested(str, int): open the file in the system viewer (path, page or 0).
    """

    citation_requested = Signal(object)
    open_requested = Signal(str, int)

    def __init__(self, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self._colors = colors
        self._citations: list[StoredCitation] = []
        self._index = 0
        self._location: PageLocation | TextLocation | None = None
        self._setup_ui()
        self.set_colors(colors)
        self._retranslate()

    def _setup_ui(self) -> None:
        self.resize(820, 900)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(6)
        self.where = QLabel()
        self.where.setObjectName("Headline")
        self.where.setWordWrap(True)
        self.path = QLabel()
        self.path.setObjectName("Muted")
        self.path.setWordWrap(True)
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.where)
        layout.addWidget(self.path)
        layout.addWidget(self.status)
        self.stack = QStackedWidget()
        self.canvas = PageCanvas()
        self.page_area = QScrollArea()
        self.page_area.setWidget(self.canvas)
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # The page takes the width there is: the vertical bar always, never a horizontal one.
        self.page_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.page_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.document().setDocumentMargin(18)
        self.stack.addWidget(self.page_area)
        self.stack.addWidget(self.text)
        layout.addWidget(self.stack, 1)
        buttons = QHBoxLayout()
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.position = QLabel()
        self.position.setObjectName("Muted")
        self.system_button = QPushButton()
        self.close_button = QPushButton()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.position)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.system_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.system_button.clicked.connect(self._on_system_button_clicked)
        self.close_button.clicked.connect(self.close)
        QShortcut(
            QKeySequence(Qt.Key.Key_PageUp | Qt.KeyboardModifier.AltModifier),
            self,
            lambda: self._step(-1),
        )
        QShortcut(
            QKeySequence(Qt.Key.Key_PageDown | Qt.KeyboardModifier.AltModifier),
            self,
            lambda: self._step(1),
        )

    def _retranslate(self) -> None:
        self.previous_button.setText(self.tr("‹ Previous source"))
        self.next_button.setText(self.tr("Next source ›"))
        self.system_button.setText(self.tr("Open in the system viewer"))
        self.close_button.setText(self.tr("Close"))
        self.text.setAccessibleName(self.tr("Document text"))
        self.canvas.setAccessibleName(self.tr("Page"))
        if self._citations:
            self._show_header()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def set_colors(self, colors: Colors) -> None:
        """A new theme: the page's highlight and the text's mark follow it."""
        self._colors = colors
        self.canvas.set_colors(colors)
        if isinstance(self._location, TextLocation):
            self._mark_text(self._location, scroll=False)

    # ---- what is shown ----------------------------------------------------------------------

    @property
    def citation(self) -> StoredCitation | None:
        """The source shown (or being opened)."""
        return self._citations[self._index] if self._citations else None

    @property
    def location(self) -> PageLocation | TextLocation | None:
        """Where the shown source's passage stands; None while it opens or when it cannot."""
        return self._location

    def show_citations(self, citations: Sequence[StoredCitation], number: int) -> None:
        """Show source `number` of `citations` (the answer's sources, in order)."""
        self._citations = list(citations)
        found = [i for i, c in enumerate(self._citations) if c.number == number]
        self._index = found[0] if found else 0
        self._open_current()

    def render_width(self) -> int:
        """How wide (in device pixels) a page should be rendered for this view."""
        ratio = self.devicePixelRatioF()
        width = max(MIN_RENDER_WIDTH, self.page_area.viewport().width()) * ratio
        return int(min(MAX_RENDER_WIDTH, width))

    def show_page(self, location: PageLocation, image: QImage) -> None:
        """The page rendered, with the passage's boxes over it, the first one in view."""
        self._location = location
        self.canvas.set_page(image, location.boxes)
        self.stack.setCurrentWidget(self.page_area)
        self._fit_page()
        self._show_header()
        if location.boxes:
            first = min(location.boxes, key=lambda box: box[1])
            visible = self.page_area.viewport().height()
            self.page_area.verticalScrollBar().setValue(
                int(first[1] * self.canvas.height() - _LEAD * visible)
            )
        else:
            self.page_area.verticalScrollBar().setValue(0)

    def show_text(self, location: TextLocation) -> None:
        """The document's text with the passage marked and scrolled into view."""
        self._location = location
        self.text.setPlainText(location.text)
        self.stack.setCurrentWidget(self.text)
        self._show_header()
        self._mark_text(location, scroll=True)

    def show_failure(self, message: str, hint: str) -> None:
        """The file cannot be shown: say why, and show the passage as it was indexed."""
        self._location = None
        citation = self.citation
        self.text.setPlainText(citation.text if citation is not None else "")
        self.text.setExtraSelections([])
        self.stack.setCurrentWidget(self.text)
        self._show_header()
        self._say(f"{message} {hint}".strip())

    def highlighted_text(self) -> str:
        """The text under the mark (a text document), for people and tests alike."""
        selections = self.text.extraSelections()
        return selections[0].cursor.selectedText().replace("\u2029", "\n") if selections else ""

    # ---- inside -----------------------------------------------------------------------------

    def _open_current(self) -> None:
        self._location = None
        self._show_header()
        self._say(self.tr("Opening the document…"))
        citation = self.citation
        if citation is not None:
            self.citation_requested.emit(citation)

    def _step(self, delta: int) -> None:
        target = self._index + delta
        if 0 <= target < len(self._citations):
            self._index = target
            self._open_current()

    def _show_header(self) -> None:
        citation = self.citation
        if citation is None:
            return
        where = f"[{citation.number}] {Path(citation.source).name}"
        if citation.section:
            where += " · " + citation.section
        location = self._location
        if isinstance(location, PageLocation):
            where += " · " + self.tr("page %1 of %2").replace("%1", str(location.page)).replace(
                "%2", str(location.page_count)
            )
        elif citation.page is not None:
            where += " · " + self.tr("page %1").replace("%1", str(citation.page))
        self.where.setText(where)
        self.path.setText(citation.source)
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(citation.number)))
        self.position.setText(
            self.tr("%1 of %2")
            .replace("%1", str(self._index + 1))
            .replace("%2", str(len(self._citations)))
        )
        self.previous_button.setEnabled(self._index > 0)
        self.next_button.setEnabled(self._index + 1 < len(self._citations))
        self.system_button.setEnabled(Path(citation.source).exists())
        self._say(self._note(location))

    def _note(self, location: PageLocation | TextLocation | None) -> str:
        if location is None:
            return ""
        if not location.found:
            return self.tr(
                "The passage was not found as it was indexed: the file may have changed "
                "since. Add it again to cite it as it is now."
            )
        if isinstance(location, PageLocation) and location.ocr:
            return self.tr(
                "This page is a picture: its text was read by OCR, and the marks show the "
                "lines it read. Check the wording against the picture."
            )
        return ""

    def _say(self, text: str) -> None:
        """A line above the document: shown only when there is something to say."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _fit_page(self) -> None:
        self.canvas.fit(self.page_area.viewport().width())

    def _mark_text(self, location: TextLocation, *, scroll: bool) -> None:
        if not location.found:
            self.text.setExtraSelections([])
            return
        mark = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(location.start)
        cursor.setPosition(location.end, QTextCursor.MoveMode.KeepAnchor)
        mark.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(self._colors.chip))
        fmt.setForeground(QColor(self._colors.chip_text))
        mark.format = fmt
        self.text.setExtraSelections([mark])
        if scroll:
            # To the passage's end, then its start: the start is in view, and the end
            # too when the passage fits; then a little space above it.
            for position in (location.end, location.start):
                at = QTextCursor(self.text.document())
                at.setPosition(position)
                self.text.setTextCursor(at)
                self.text.ensureCursorVisible()
            top = self.text.cursorRect().top() + self.text.verticalScrollBar().value()
            visible = self.text.viewport().height()
            self.text.verticalScrollBar().setValue(int(top - _LEAD * visible))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if isinstance(self._location, PageLocation):
            self._fit_page()

    def _on_system_button_clicked(self) -> None:
        citation = self.citation
        if citation is not None:
            self.open_requested.emit(citation.source, citation.page or 0)
