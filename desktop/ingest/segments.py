"""Collecting a document's segments: offsets in the full text, headings, bounded sections.

Segments sit in the document's full text one after another, separated by a blank line
(`SEPARATOR`), which is how `desktop.core.chunking.full_text` rebuilds that text from the
segments' `start` offsets.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.documents import LoadedDocument, ReadingNotes, TextRegion, TextSegment
from desktop.core.errors import NoTextLayer
from desktop.core.ports import PageProgress
from desktop.core.safe_text import clean_text

SEPARATOR = "\n\n"
# A section longer than this is cut into several segments at a blank line, so no single
# string has to hold a huge file (an emoji would make the whole of it four bytes a char).
SECTION_CHARS = 1 << 20


class SegmentBuilder:
    """Collects segments and gives each its offset in the document's full text, and notes
    how the text was read (pages read by OCR, a repaired encoding).

    Args:
        ocr: whether pictures of pages may be read by OCR.
        on_page: told before each page OCR reads, as (page, pages); may raise `Stopped`.
    """

    def __init__(self, *, ocr: bool = True, on_page: PageProgress | None = None) -> None:
        self.segments: list[TextSegment] = []
        self._length = 0
        self.ocr = ocr
        self._on_page = on_page
        self._ocr_pages: list[int] = []
        self._uncertain_pages: list[int] = []
        self.repaired = False

    def recognising(self, page: int, pages: int) -> None:
        """OCR is about to read the `page`-th of `pages` pages (the caller may stop here)."""
        if self._on_page is not None:
            self._on_page(page, pages)

    def recognised(self, page: int, *, uncertain: bool) -> None:
        """Page `page` of the document was read by OCR, with low confidence or not."""
        self._ocr_pages.append(page)
        if uncertain:
            self._uncertain_pages.append(page)

    def add(
        self,
        text: str,
        *,
        page: int | None = None,
        heading_path: tuple[str, ...] = (),
        kind: str = "text",
        ocr: bool = False,
        regions: tuple[TextRegion, ...] = (),
    ) -> None:
        """Append a segment; blank text is dropped and outer blank lines are trimmed.
        `ocr` and `regions`: the text was read by OCR, and the lines it read where."""
        text = clean_text(text).strip("\n")
        if not text.strip():
            return
        if self.segments:
            self._length += len(SEPARATOR)
        self.segments.append(
            TextSegment(text, page, heading_path, self._length, kind, ocr, regions)
        )
        self._length += len(text)

    def document(
        self, path: Path, *, title: str = "", encoding: str = "", mime: str = ""
    ) -> LoadedDocument:
        """The loaded document; raises NoTextLayer when nothing readable was added."""
        if not self.segments:
            raise NoTextLayer(
                f"{path.name} contains no readable text.",
                "Check that the file has content; a scan needs OCR first.",
                path=str(path),
            )
        notes = ReadingNotes(tuple(self._ocr_pages), tuple(self._uncertain_pages), self.repaired)
        return LoadedDocument(
            str(path), tuple(self.segments), clean_text(title).strip(), encoding, mime, notes
        )


class Headings:
    """The headings above the current position, outermost first."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        """A heading of `level` (1 is outermost) closes every heading at or below it."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        title = " ".join(title.split())
        if title:
            self._stack.append((level, title))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(title for _, title in self._stack)


class Section:
    """Lines gathered under the current headings, written out as segments.

    A long run of lines is written out at a blank line once it passes `SECTION_CHARS`
    (or anywhere once it passes four times that), so memory stays bounded.
    """

    def __init__(self, out: SegmentBuilder, *, page: int | None = None) -> None:
        self.out = out
        self.page = page
        self.headings = Headings()
        self._lines: list[str] = []
        self._size = 0

    def line(self, text: str) -> None:
        """Add one line of running text."""
        self._lines.append(text)
        self._size += len(text) + 1
        if self._size > SECTION_CHARS and (not text.strip() or self._size > 4 * SECTION_CHARS):
            self.flush()

    def heading(self, level: int, title: str) -> None:
        """Close the running text and enter a heading."""
        self.flush()
        self.headings.enter(level, title)

    def block(self, text: str, kind: str) -> None:
        """Add a block that stands on its own (code, a table) under the current headings."""
        self.flush()
        self.out.add(text, page=self.page, heading_path=self.headings.path, kind=kind)

    def take_title(self) -> str | None:
        """Remove and return the last line when it is a one-line paragraph (a Markdown
        setext heading's text), else None."""
        if not self._lines or not self._lines[-1].strip():
            return None
        if len(self._lines) > 1 and self._lines[-2].strip():
            return None
        title = self._lines.pop()
        self._size -= len(title) + 1
        return title

    def flush(self) -> None:
        """Write the gathered lines out as one segment."""
        if self._lines:
            self.out.add("\n".join(self._lines), page=self.page, heading_path=self.headings.path)
        self._lines.clear()
        self._size = 0
