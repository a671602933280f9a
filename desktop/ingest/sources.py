"""Finding a cited passage in its file and rendering its page (blocking: run it in an
executor). Implements `desktop.core.sources.SourceReader`.

A PDF page: PDFium gives every character with its box; they are put in the reading order
indexing used (`desktop.ingest.layout`), the passage is found among them (spacing and the
" | " between table cells aside) and its characters' boxes, joined line by line, are the
highlight. A page read by OCR has no characters: the places of the lines read there,
kept with the passage, are the highlight. A picture is a page read by OCR. Any other file
is read as for indexing, and the passage is found in its text by its offsets, or by its
words when the file changed.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from desktop.core.chunking import full_text
from desktop.core.conversations import StoredCitation
from desktop.core.documents import Box
from desktop.core.errors import CorruptFile, FileUnreadable, IngestError
from desktop.core.sources import PageImage, PageLocation, SourceLocation, TextLocation, find_passage
from desktop.ingest.images import MAX_PIXELS
from desktop.ingest.images import MIME as IMAGE_MIME
from desktop.ingest.layout import lines_from_chars, ordered_rows
from desktop.ingest.loaders import load_document, sniff
from desktop.ingest.pdf_text import PDFIUM, Char, page_chars

# What the comparison of a passage with a page ignores: spacing and table cell marks.
_LOOSE = re.compile(r"[\s|]+")
# When the passage is not on the page as it is (a file changed since), the stretches of
# at least this many characters it shares with the page are marked.
_SHARED_CHARS = 8
# Boxes this close (fractions of the page) in one line are drawn as one.
_JOIN_GAP = 0.02
# The largest page drawn, in pixels across (the view asks for its own width).
_MAX_WIDTH = 4000


def _missing(path: Path) -> FileUnreadable:
    return FileUnreadable(
        f"{path.name} is no longer at {path.parent}.",
        "Put it back, or add the document again where it is now.",
        path=str(path),
    )


def _damaged(path: Path) -> CorruptFile:
    return CorruptFile(
        f"{path.name} cannot be shown: it is damaged or no longer a valid PDF or picture.",
        "Open it in the system viewer, or add it again.",
        path=str(path),
    )


def _kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            kind = sniff(handle.read(8192))
    except FileNotFoundError:
        raise _missing(path) from None
    except OSError as exc:
        raise FileUnreadable(
            f"{path.name} cannot be read: {exc.strerror or exc}.",
            "Check that you may read it.",
            path=str(path),
        ) from None
    if kind == "image" and path.suffix.lower() not in IMAGE_MIME:
        return "binary"
    return kind


class DocumentSources:
    """Reads documents for the source view."""

    def locate(self, citation: StoredCitation) -> SourceLocation:
        path = Path(citation.source)
        kind = _kind(path)
        if kind == "pdf":
            return _locate_in_pdf(path, citation)
        if kind == "image":
            count = _image_pages(path)
            page = min(max(1, citation.page or 1), count)
            return PageLocation(str(path), page, count, citation.regions, ocr=True)
        document = load_document(path)
        text = full_text(document)
        known = citation.start is not None and citation.end is not None
        hint = (citation.start or 0, citation.end or 0) if known else None
        start, end = find_passage(text, citation.text, hint)
        return TextLocation(str(path), text, start, end)

    def render(self, path: str, page: int, width: int) -> PageImage:
        file = Path(path)
        width = max(1, min(width, _MAX_WIDTH))
        if _kind(file) == "pdf":
            return _render_pdf(file, page, width)
        return _render_image(file, page, width)


# ---- PDF ------------------------------------------------------------------------------------


def _open_pdf(path: Path) -> Any:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        raise _damaged(path) from None


def _locate_in_pdf(path: Path, citation: StoredCitation) -> PageLocation:
    with PDFIUM:
        document = _open_pdf(path)
        try:
            count = len(document)
            number = min(max(1, citation.page or 1), max(1, count))
            page = document[number - 1]
            try:
                width, height = page.get_size()
                chars = page_chars(page)
            finally:
                page.close()
        finally:
            document.close()
    boxes = _passage_boxes(chars, citation.text, width, height) if chars else ()
    if not boxes and citation.regions:
        return PageLocation(str(path), number, count, citation.regions, ocr=True)
    return PageLocation(str(path), number, count, boxes, ocr=bool(citation.ocr))


def _reading_stream(chars: list[Char], width: float) -> tuple[str, list[tuple[int, Box]]]:
    """The page's visible characters in reading order, as one string without spacing or
    "|", and for each its line (an ordinal) and its box in points."""
    # Letter by letter (a ligature is two letters in one box), as `lines_from_chars` sees
    # them: each run is the next stretch of visible letters, as many as it holds.
    visible = [
        (letter, box) for ch, box in chars if not ch.isspace() and box[2] > box[0] for letter in ch
    ]
    runs = lines_from_chars(chars)
    owned: dict[int, list[Char]] = {}
    position = 0
    for run in runs:
        size = len(run.text.replace(" ", ""))
        owned[id(run)] = visible[position : position + size]
        position += size
    letters: list[str] = []
    places: list[tuple[int, Box]] = []
    ordinal = 0
    for row in ordered_rows(runs, width):
        for run in row:
            ordinal += 1
            for ch, box in owned[id(run)]:
                if ch != "|":
                    letters.append(ch)
                    places.append((ordinal, box))
    return "".join(letters), places


def _passage_boxes(chars: list[Char], passage: str, width: float, height: float) -> tuple[Box, ...]:
    """The rectangles (fractions of the page) of the passage's characters on the page."""
    stream, places = _reading_stream(chars, width)
    wanted = _LOOSE.sub("", passage)
    if not wanted or not stream:
        return ()
    start = stream.find(wanted)
    if start >= 0:
        spans = [(start, start + len(wanted))]
    else:
        matcher = difflib.SequenceMatcher(None, stream, wanted, autojunk=False)
        spans = [
            (block.a, block.a + block.size)
            for block in matcher.get_matching_blocks()
            if block.size >= _SHARED_CHARS
        ]
    return _join([places[i] for a, b in spans for i in range(a, b)], width, height)


def _join(places: list[tuple[int, Box]], width: float, height: float) -> tuple[Box, ...]:
    """One rectangle per stretch of a line: the union of its characters' boxes."""
    out: list[tuple[int, list[float]]] = []
    for ordinal, (left, top, right, bottom) in places:
        if out and out[-1][0] == ordinal and left - out[-1][1][2] <= _JOIN_GAP * width:
            box = out[-1][1]
            box[:] = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]
        else:
            out.append((ordinal, [left, top, right, bottom]))
    return tuple(
        (
            max(0.0, box[0] / width),
            max(0.0, box[1] / height),
            min(1.0, box[2] / width),
            min(1.0, box[3] / height),
        )
        for _, box in out
    )


def _render_pdf(path: Path, number: int, width: int) -> PageImage:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    with PDFIUM:
        document = _open_pdf(path)
        try:
            if not 1 <= number <= len(document):
                raise IngestError(
                    f"{path.name} has no page {number}; it has {len(document)}.",
                    "The file changed since it was indexed: add it again.",
                    path=str(path),
                )
            page = document[number - 1]
            try:
                scale = width / max(1.0, page.get_width())
                bitmap = page.render(
                    scale=scale,
                    force_bitmap_format=pdfium_c.FPDFBitmap_BGRA,
                    rev_byteorder=True,
                    fill_color=(255, 255, 255, 255),
                )
                try:
                    return PageImage(
                        bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)
                    )
                finally:
                    bitmap.close()
            except pypdfium2.PdfiumError:
                raise _damaged(path) from None
            finally:
                page.close()
        finally:
            document.close()


# ---- pictures -------------------------------------------------------------------------------


def _open_image(path: Path) -> Any:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        return Image.open(path)
    except FileNotFoundError:
        raise _missing(path) from None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _damaged(path) from None


def _image_pages(path: Path) -> int:
    with _open_image(path) as image:
        return max(1, int(getattr(image, "n_frames", 1)))


def _render_image(path: Path, number: int, width: int) -> PageImage:
    from PIL import Image, ImageOps

    with _open_image(path) as image:
        try:
            image.seek(max(0, number - 1))
            frame = ImageOps.exif_transpose(image).convert("RGBA")
        except (EOFError, OSError, ValueError):
            raise _damaged(path) from None
    height = max(1, round(frame.height * width / max(1, frame.width)))
    frame = frame.resize((width, height), Image.Resampling.LANCZOS)
    return PageImage(width, height, width * 4, frame.tobytes())
