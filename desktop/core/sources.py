"""Where a cited passage stands in its document, for the source view.

A PDF page or a picture is shown as an image with the passage's rectangles on it; any
other document as its text with the passage's span marked. Reading files and rendering
pages is blocking work (`SourceReader`, implemented by `desktop/ingest/sources.py`), so
`SourceService` runs it in an executor: the window's thread only draws the result.

What a citation knows is enough (its file, page, offsets, text and, when read by OCR,
the places of its lines), so a document the window has never opened is found as well as
one of a knowledge base from before offsets and places were kept: the passage's text is
then looked for instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Protocol

from desktop.core.blocking import run_blocking
from desktop.core.conversations import StoredCitation
from desktop.core.documents import Box

# A longer passage is looked for by its beginning: enough to be found, short enough that
# a small change further on in an edited file does not lose it.
_PROBE_WORDS = 60


@dataclass(frozen=True, slots=True)
class PageLocation:
    """The passage on a page (of a PDF, or a picture).

    Attributes:
        path: the file.
        page: 1-based page number.
        page_count: pages in the file.
        boxes: the passage's rectangles, as fractions of the page (empty: not found).
        ocr: the page was read by OCR (the boxes are the lines it recognised).
    """

    path: str
    page: int
    page_count: int
    boxes: tuple[Box, ...]
    ocr: bool = False

    @property
    def found(self) -> bool:
        return bool(self.boxes)


@dataclass(frozen=True, slots=True)
class TextLocation:
    """The passage in the document's text as Hearth reads it.

    Attributes:
        path: the file.
        text: the document's full text.
        start, end: the passage's span in `text` (equal when it was not found).
    """

    path: str
    text: str
    start: int
    end: int

    @property
    def found(self) -> bool:
        return self.end > self.start


SourceLocation = PageLocation | TextLocation


@dataclass(frozen=True, slots=True)
class PageImage:
    """A rendered page: `height` rows of `stride` bytes, 4 bytes (R, G, B, A) a pixel."""

    width: int
    height: int
    stride: int
    pixels: bytes


def find_passage(text: str, passage: str, hint: tuple[int, int] | None = None) -> tuple[int, int]:
    """The span of `passage` in `text`: the `hint` offsets when they still hold it, else
    where it occurs (nearest to the hint), else where its words occur with any spacing,
    else where its first words occur; (0, 0) when it is not there at all.

    Args:
        text: the document's text.
        passage: the passage as it was indexed.
        hint: its (start, end) when the index kept them.
    """
    if hint is not None and text[hint[0] : hint[1]] == passage:
        return hint
    near = hint[0] if hint is not None else 0
    exact = _nearest([m.start() for m in re.finditer(re.escape(passage), text)], near)
    if exact is not None:
        return exact, exact + len(passage)
    words = passage.split()
    for probe in (words, words[:_PROBE_WORDS], words[:8]):
        if not probe:
            break
        pattern = re.compile(r"\s+".join(re.escape(w) for w in probe))
        matches = list(pattern.finditer(text))
        best = _nearest([m.start() for m in matches], near)
        if best is not None:
            match = next(m for m in matches if m.start() == best)
            return match.start(), match.end()
    return 0, 0


def _nearest(positions: Sequence[int], near: int) -> int | None:
    return min(positions, key=lambda p: abs(p - near), default=None)


class SourceReader(Protocol):
    """Reads documents for the source view (blocking; `desktop.ingest.sources`)."""

    def locate(self, citation: StoredCitation) -> SourceLocation:
        """Where the cited passage stands in its file."""
        ...

    def render(self, path: str, page: int, width: int) -> PageImage:
        """Page `page` (1-based) of a PDF or a picture, scaled to `width` pixels."""
        ...


class SourceService:
    """Locates cited passages and renders pages, off the caller's thread."""

    def __init__(self, reader: SourceReader, executor: Executor | None = None) -> None:
        self._reader = reader
        self._executor = executor

    async def locate(self, citation: StoredCitation) -> SourceLocation:
        """Where the cited passage stands. Raises an IngestError naming the file when it
        is gone or cannot be read."""
        return await run_blocking(self._executor, self._reader.locate, citation)

    async def render(self, path: str, page: int, width: int) -> PageImage:
        """Page `page` of the file `path`, `width` pixels wide."""
        return await run_blocking(self._executor, self._reader.render, path, page, width)
