"""Reading one file into text segments with pages and headings (blocking: run it in an
executor). Every failure is an IngestError subclass naming the file and the reason.

The content decides before the name: a PDF or a Word file renamed `.txt` is read as what
it is, and a binary file named `.txt` is refused as not a text file.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core import formats
from desktop.core.documents import LoadedDocument
from desktop.core.errors import CorruptFile, FileTooLarge, FileUnreadable, UnsupportedFile
from desktop.core.ports import PageProgress
from desktop.ingest import textual
from desktop.ingest.encoding import TextDecoder, utf16_without_bom
from desktop.ingest.images import MIME as IMAGE_MIME
from desktop.ingest.images import read_image
from desktop.ingest.packages import MIME, damaged_by_name, read_package, read_pdf
from desktop.ingest.segments import SegmentBuilder

MAX_BYTES = 200 * 1024 * 1024
_HEAD_BYTES = 8192

# Formats whose first bytes say so; most other binary formats hold zero bytes early on.
# Magic numbers that are plain letters ("MZ", "ID3") could begin a text file, so they are
# left to the zero-byte test.
_BINARY_MAGIC = (
    b"\x7fELF",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
)
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


def sniff(head: bytes) -> str:
    """ "pdf", "zip", "ole2" (old Office), "image", "binary" or "text", from a file's
    first bytes."""
    if head.lstrip(b"\x00\t\n\r ")[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_OLE2):
        return "ole2"
    if head.startswith(_BINARY_MAGIC):
        return "binary"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or utf16_without_bom(head):
        return "text"
    controls = sum(head.count(byte) for byte in _CONTROL_BYTES)
    if b"\x00" in head or controls > len(head) * 0.1:
        return "binary"
    return "text"


_TEXT_READERS: dict[str, textual.TextReader] = {
    **dict.fromkeys(formats.MARKDOWN, textual.read_markdown),
    **dict.fromkeys(formats.RST, textual.read_rst),
    **dict.fromkeys(formats.HTML, textual.read_html),
    ".csv": textual.read_csv,
    ".tsv": textual.read_tsv,
    ".json": textual.read_json,
    ".jsonl": textual.read_json_lines,
    ".ndjson": textual.read_json_lines,
    **dict.fromkeys(formats.CODE, textual.read_code),
}


def _text_reader(path: Path) -> textual.TextReader:
    if path.name in formats.CODE_NAMES:
        return textual.read_code
    return _TEXT_READERS.get(path.suffix.lower(), textual.read_plain)


def _unreadable(path: Path, exc: OSError) -> FileUnreadable:
    return FileUnreadable(
        f"{path.name} cannot be read: {exc.strerror or exc}.",
        "Check that the file exists and that you may read it.",
        path=str(path),
    )


def _not_text(path: Path, kind: str) -> UnsupportedFile | CorruptFile:
    if kind == "ole2":
        return UnsupportedFile(
            f"{path.name} is an old Microsoft Office file (.doc, .xls or .ppt).",
            "Save it as .docx (or as PDF) and add that instead.",
            path=str(path),
        )
    if (damaged := damaged_by_name(path)) is not None:
        return damaged
    return UnsupportedFile(
        f"{path.name} is not a text file (its content is binary).",
        "Add documents, text or source code.",
        path=str(path),
    )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size < 10 * 2**20 else f"{size // 2**20} MB"


def _check_size(path: Path, max_bytes: int) -> int:
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(
            f"{path.name} is too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)}).",
            "Split it into smaller files.",
            path=str(path),
        )
    if size == 0:
        raise UnsupportedFile(
            f"{path.name} is an empty file, nothing to index.", "", path=str(path)
        )
    return size


def load_document(
    path: Path,
    *,
    max_bytes: int = MAX_BYTES,
    ocr: bool = True,
    on_page: PageProgress | None = None,
) -> LoadedDocument:
    """Read one file. Raises an IngestError subclass with a sentence naming the file.

    Args:
        path: the file.
        max_bytes: larger files are refused with FileTooLarge.
        ocr: read pictures of pages (scans, photos) by OCR; without it they are refused.
        on_page: told before each page OCR reads, as (page, pages); may raise `Stopped`.
    """
    out = SegmentBuilder(ocr=ocr, on_page=on_page)
    try:
        _check_size(path, max_bytes)
        with path.open("rb") as handle:
            kind = sniff(handle.read(_HEAD_BYTES))
            if kind == "text":
                handle.seek(0)
                decoder = TextDecoder(handle)
                try:
                    title = _read_text(path, decoder, out)
                finally:
                    decoder.close()
                out.repaired = decoder.repaired
                return out.document(path, title=title, encoding=decoder.encoding)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if kind == "pdf":
        return out.document(path, title=read_pdf(path, out), mime=MIME["pdf"])
    if kind == "zip":
        title, mime = read_package(path, out)
        return out.document(path, title=title, mime=mime)
    if kind == "image" and path.suffix.lower() in IMAGE_MIME:
        read_image(path, out)
        return out.document(path, mime=IMAGE_MIME.get(path.suffix.lower(), "image"))
    raise _not_text(path, kind)


def _read_text(path: Path, decoder: TextDecoder, out: SegmentBuilder) -> str:
    if path.suffix.lower().lstrip(".") in MIME:
        # Text in a file named .pdf or .docx: the name promises something else.
        raise _not_text(path, "text")
    try:
        return _text_reader(path)(decoder, out)
    except CorruptFile as exc:
        raise CorruptFile(f"{path.name} {exc.message}", exc.hint, path=str(path)) from None
