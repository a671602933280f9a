"""A PDF's text layer in reading order, with its tables as rows and without the lines
that run on every page.

PDFium (pypdfium2) gives every character with its box; `desktop.ingest.layout` puts them
back in reading order (columns one after the other, table cells as `a | b | c`). Running
headers, footers and page numbers are dropped; a table becomes a segment of its own whose
header row goes with it, onto the next page too when the table runs over (in the
segment's heading path, so every passage of the table is found with its header).
`scan_placements` says where a scanned page's picture is drawn on the page, so the lines
OCR reads on the picture are placed where they are printed.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.documents import Box, TextRegion
from desktop.ingest.layout import drop_running_lines, lines_from_chars, reading_order, split_tables
from desktop.ingest.segments import SegmentBuilder

log = logging.getLogger(__name__)


# PDFium is not thread-safe: every use of it in the process holds this lock (indexing
# lays pages out while the source view renders one).
PDFIUM = threading.Lock()


def layout_pages(path: Path) -> list[list[str]] | None:
    """Each page's lines in reading order, or None when PDFium cannot read the file (the
    caller then keeps its plain extraction)."""
    try:
        import pypdfium2
    except ImportError:
        return None
    try:
        with PDFIUM:
            document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        log.info("%s: PDFium could not open it (%s); plain text extraction", path.name, exc)
        return None
    try:
        pages = []
        for index in range(len(document)):
            with PDFIUM:  # page by page, so a long document lets a render in between
                page = document[index]
                try:
                    pages.append(_page_lines(page))
                finally:
                    page.close()
        return pages
    except pypdfium2.PdfiumError as exc:
        log.info("%s: PDFium failed on a page (%s); plain text extraction", path.name, exc)
        return None
    finally:
        with PDFIUM:
            document.close()


Char = tuple[str, tuple[float, float, float, float]]


def page_chars(page: Any) -> list[Char]:
    """The page's characters in the order the PDF draws them, each with its box (left,
    top, right, bottom) in points from the page's top-left corner; a ligature is the
    letters it stands for. Call holding PDFIUM."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if not count:
            return []
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters beyond the BMP: one index each
            text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(count))
        chars = []
        for index, ch in enumerate(text[:count]):
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            # Folded one by one: a ligature becomes two letters in its one box, and the
            # characters after it keep their own boxes.
            chars.append((ch.translate(_FOLD), (left, height - top, right, height - bottom)))
        return chars
    finally:
        textpage.close()


def _page_lines(page: Any) -> list[str]:
    lines = lines_from_chars(page_chars(page))
    return reading_order(lines, page.get_width()).split("\n") if lines else []


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a picture is drawn on its page: the page fractions (from the top-left corner)
    of the picture's top-left corner, and of one step along its width and its height."""

    origin: tuple[float, float]
    across: tuple[float, float]
    down: tuple[float, float]

    def box(self, box: Box) -> Box:
        """A box given as fractions of the picture, as fractions of the page (the box
        around it, should the picture be turned)."""
        left, top, right, bottom = box
        points = [self._point(x, y) for x in (left, right) for y in (top, bottom)]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return (
            round(max(0.0, min(xs)), 4),
            round(max(0.0, min(ys)), 4),
            round(min(1.0, max(xs)), 4),
            round(min(1.0, max(ys)), 4),
        )

    def _point(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.origin[0] + x * self.across[0] + y * self.down[0],
            self.origin[1] + x * self.across[1] + y * self.down[1],
        )


def scan_placements(path: Path, scans: Mapping[int, tuple[int, int]]) -> dict[int, Placement]:
    """Where each page's scan is drawn: for page number -> the scan's size in pixels, the
    placement of the largest picture of that size on the page (the largest picture when
    none has it). Pages PDFium cannot place are left out (a scan is then taken to fill
    its page)."""
    if not scans:
        return {}
    try:
        import pypdfium2
    except ImportError:
        return {}
    placed: dict[int, Placement] = {}
    with PDFIUM:
        try:
            document = pypdfium2.PdfDocument(str(path))
        except (pypdfium2.PdfiumError, OSError) as exc:
            log.info("%s: PDFium could not open it (%s); scans taken to fill pages", path.name, exc)
            return {}
        try:
            for number, size in scans.items():
                if not 1 <= number <= len(document):
                    continue
                page = document[number - 1]
                try:
                    placement = _placement(page, size)
                except pypdfium2.PdfiumError as exc:
                    log.info("%s: page %d's scan not placed (%s)", path.name, number, exc)
                    placement = None
                finally:
                    page.close()
                if placement is not None:
                    placed[number] = placement
        finally:
            document.close()
    return placed


def _placement(page: Any, size: tuple[int, int]) -> Placement | None:
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    best: tuple[tuple[bool, float], Any] | None = None
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        matrix = image.get_matrix()
        container = image.container
        while container is not None:  # drawn inside forms: their transforms too
            matrix = matrix.multiply(container.get_matrix())
            container = container.container
        # The area it covers on the page, in square points.
        area = abs(matrix.a * matrix.d - matrix.b * matrix.c)
        rank = (tuple(image.get_px_size()) == tuple(size), area)
        if best is None or rank > best[0]:
            best = (rank, matrix)
    if best is None or best[0][1] <= 0 or width <= 0 or height <= 0:
        return None
    matrix = best[1]

    def fraction(u: float, v: float) -> tuple[float, float]:
        # The picture's unit square (v up, its first row at v = 1) to page fractions.
        x, y = matrix.on_point(u, v)
        return x / width, (height - y) / height

    origin = fraction(0, 1)
    right, below = fraction(1, 1), fraction(0, 0)
    return Placement(
        origin,
        (right[0] - origin[0], right[1] - origin[1]),
        (below[0] - origin[0], below[1] - origin[1]),
    )


def _compatibility_fold() -> dict[int, str]:
    """Kangxi and supplementary radicals, compatibility ideographs and Latin ligatures, as
    the characters they stand for: fonts often map glyphs back to these look-alikes, so
    that the text layer says "⾃⼰" for "自己" and "ﬁle" for "file"."""
    ranges = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0xFB00, 0xFB06))
    table = {}
    for first, last in ranges:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if folded != chr(code):
                table[code] = folded
    return table


_FOLD = _compatibility_fold()


def add_pages(
    pages: list[list[str]],
    out: SegmentBuilder,
    ocr: Mapping[int, tuple[TextRegion, ...]] | None = None,
) -> None:
    """Add the pages' lines (page numbers from 1) as segments: running lines dropped,
    prose as text, each table as a table segment headed by its header row. `ocr`: the
    pages read by OCR, with the lines read on each."""
    ocr = ocr or {}
    header: tuple[str, int] | None = None  # the last table's header row and cell count
    for number, lines in enumerate(drop_running_lines(pages), start=1):
        blocks = split_tables(lines)
        read, regions = number in ocr, ocr.get(number, ())
        for position, (kind, rows) in enumerate(blocks):
            if kind == "text":
                out.add("\n".join(rows), page=number, ocr=read, regions=regions)
                header = None
                continue
            cells = rows[0].count(" | ") + 1
            continues = position == 0 and header is not None and header[1] == cells
            if not continues:
                header = (rows[0], cells)
            assert header is not None
            out.add(
                "\n".join(rows),
                page=number,
                heading_path=(header[0],),
                kind="table",
                ocr=read,
                regions=regions,
            )
