"""PDFs with a real text layer, drawn with Qt: plain pages, two-column pages, a ruled
table that runs over a page break, running headers, footers and page numbers; English,
Russian and Chinese. Used by `bench.pdf_eval` and the PDF tests; every file comes with the
text a reader should get, in reading order.

Needs a QGuiApplication (offscreen is enough).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

FONT = {"en": "DejaVu Serif", "ru": "DejaVu Sans", "zh": "Noto Sans CJK SC"}
WIDTH, HEIGHT = 595.0, 842.0  # A4 in points
MARGIN = 56.0
BODY_TOP, BODY_BOTTOM = 80.0, HEIGHT - 70.0


@dataclass
class Sample:
    """A generated PDF and what it should read as."""

    path: Path
    pages: list[str] = field(default_factory=list)  # body text of each page, reading order
    header: str = ""
    table_rows: list[list[str]] = field(default_factory=list)  # header row first


def _wrap(text: str, metrics: QFontMetricsF, width: float, lang: str) -> list[str]:
    units = list(text) if lang == "zh" else text.split()
    joiner = "" if lang == "zh" else " "
    lines, line = [], ""
    for unit in units:
        candidate = f"{line}{joiner}{unit}" if line else unit
        if metrics.horizontalAdvance(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = unit
    if line:
        lines.append(line)
    return lines


class _Writer:
    def __init__(self, path: Path, lang: str, header: str) -> None:
        self.writer = QPdfWriter(str(path))
        self.writer.setResolution(72)
        self.writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF()
            )
        )
        self.painter = QPainter(self.writer)
        self.font = QFont(FONT[lang], 11)
        self.small = QFont(FONT[lang], 8)
        self.metrics = QFontMetricsF(self.font, self.writer)
        self.lang = lang
        self.header = header
        self.number = 0
        self._start_page(first=True)

    def _start_page(self, *, first: bool = False) -> None:
        if not first:
            self.writer.newPage()
        self.number += 1
        self.painter.setFont(self.small)
        self.painter.drawText(QPointF(MARGIN, 40), self.header)
        self.painter.drawText(QPointF(WIDTH / 2 - 10, HEIGHT - 30), f"{self.number}")
        self.painter.setFont(self.font)

    def new_page(self) -> None:
        self._start_page()

    def line(self, text: str, x: float, y: float) -> None:
        self.painter.drawText(QPointF(x, y), text)

    def close(self) -> None:
        self.painter.end()


PAGE_BREAK = "\f"


def _step(writer: _Writer) -> float:
    return writer.metrics.height() * 1.4


def plain(path: Path, lang: str, paragraphs: list[str], header: str) -> Sample:
    """Pages of wrapped paragraphs, one column, with a running header and page numbers; a
    paragraph that is PAGE_BREAK starts a new page."""
    sample = Sample(path, header=header)
    writer = _Writer(path, lang, header)
    y, page = BODY_TOP, []
    for paragraph in paragraphs:
        if paragraph == PAGE_BREAK:
            y = BODY_BOTTOM + 1  # the next line goes on a new page
            continue
        for text in _wrap(paragraph, writer.metrics, WIDTH - 2 * MARGIN, lang):
            if y > BODY_BOTTOM:
                sample.pages.append("\n".join(page))
                writer.new_page()
                y, page = BODY_TOP, []
            writer.line(text, MARGIN, y)
            page.append(text)
            y += _step(writer)
    sample.pages.append("\n".join(page))
    writer.close()
    return sample


def two_columns(path: Path, lang: str, paragraphs: list[str], header: str) -> Sample:
    """Pages set in two columns: the left one is read first, then the right one."""
    sample = Sample(path, header=header)
    writer = _Writer(path, lang, header)
    gap = 24.0
    column = (WIDTH - 2 * MARGIN - gap) / 2
    lines = [t for p in paragraphs for t in _wrap(p, writer.metrics, column, lang)]
    per_column = int((BODY_BOTTOM - BODY_TOP) / _step(writer)) + 1
    while lines:
        page = []
        for x in (MARGIN, MARGIN + column + gap):
            chunk, lines = lines[:per_column], lines[per_column:]
            for row, text in enumerate(chunk):
                writer.line(text, x, BODY_TOP + row * _step(writer))
            page += chunk
        sample.pages.append("\n".join(page))
        if lines:
            writer.new_page()
    writer.close()
    return sample


def table(path: Path, lang: str, rows: list[list[str]], header: str, intro: str) -> Sample:
    """A paragraph, then a ruled table whose rows run over onto the next page (its header
    row is not repeated there, as in most documents)."""
    sample = Sample(path, header=header, table_rows=rows)
    writer = _Writer(path, lang, header)
    y = BODY_TOP
    page = []
    for text in _wrap(intro, writer.metrics, WIDTH - 2 * MARGIN, lang):
        writer.line(text, MARGIN, y)
        page.append(text)
        y += _step(writer)
    y += 10
    widths = [(WIDTH - 2 * MARGIN) / len(rows[0])] * len(rows[0])
    height = _step(writer) + 6
    for row in rows:
        if y + height > BODY_BOTTOM:
            sample.pages.append("\n".join(page))
            writer.new_page()
            y, page = BODY_TOP, []
        x = MARGIN
        for cell, width in zip(row, widths, strict=True):
            writer.painter.drawRect(QRectF(x, y, width, height))
            writer.line(cell, x + 4, y + height - 8)
            x += width
        page.append(" | ".join(row))
        y += height
    sample.pages.append("\n".join(page))
    writer.close()
    return sample
