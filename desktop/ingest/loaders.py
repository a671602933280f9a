"""Reading one file into text segments with pages and headings (blocking: run it in an
executor). Every failure is an IngestError subclass naming the file and the reason."""

from __future__ import annotations

import csv
import io
import json
import logging
import posixpath
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from desktop.core.documents import LoadedDocument, TextSegment
from desktop.core.errors import (
    CorruptFile,
    EncryptedFile,
    FileTooLarge,
    FileUnreadable,
    IngestError,
    NoTextLayer,
    UnsupportedFile,
)
from desktop.ingest import formats
from desktop.ingest.encoding import decode_text

log = logging.getLogger(__name__)

MAX_BYTES = 200 * 1024 * 1024
# Uncompressed size allowed inside an office/epub zip, and the compression ratio above
# which a big entry is treated as a zip bomb.
MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200
_SEPARATOR = "\n\n"


class _Builder:
    """Collects segments and gives each its offset in the document's full text."""

    def __init__(self) -> None:
        self.segments: list[TextSegment] = []
        self._length = 0

    def add(
        self,
        text: str,
        *,
        page: int | None = None,
        heading_path: tuple[str, ...] = (),
        kind: str = "text",
    ) -> None:
        text = text.strip("\n")
        if not text.strip():
            return
        if self.segments:
            self._length += len(_SEPARATOR)
        self.segments.append(TextSegment(text, page, heading_path, self._length, kind))
        self._length += len(text)

    def document(
        self, path: Path, *, title: str = "", encoding: str = "", mime: str = ""
    ) -> LoadedDocument:
        if not self.segments:
            raise NoTextLayer(
                f"{path.name} contains no readable text.",
                "If it is a scan, run it through OCR first; otherwise check the file.",
                path=str(path),
            )
        return LoadedDocument(str(path), tuple(self.segments), title, encoding, mime)


def full_text_of(doc: LoadedDocument) -> str:
    """The full text the segment offsets refer to (segments joined by blank lines)."""
    return _SEPARATOR.join(s.text for s in doc.segments)


# ---- plain text, Markdown, reStructuredText, code -----------------------------------------

_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def _markdown(text: str, out: _Builder) -> None:
    headings: list[str] = []
    buffer: list[str] = []
    fence: str | None = None
    code: list[str] = []

    def flush() -> None:
        out.add("\n".join(buffer), heading_path=tuple(headings))
        buffer.clear()

    for line in text.splitlines():
        if fence is not None:
            if line.strip().startswith(fence):
                out.add("\n".join(code), heading_path=tuple(headings), kind="code")
                fence, code = None, []
            else:
                code.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            flush()
            fence = opening.group(1)
            continue
        heading = _ATX.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            del headings[level - 1 :]
            headings.extend([""] * (level - 1 - len(headings)))
            headings.append(heading.group(2))
            headings[:] = [h for h in headings if h] if "" in headings else headings
            continue
        buffer.append(line)
    if fence is not None:
        out.add("\n".join(code), heading_path=tuple(headings), kind="code")
    flush()


_RST_ADORN = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")


def _rst(text: str, out: _Builder) -> None:
    lines = text.splitlines()
    levels: list[str] = []
    headings: list[str] = []
    buffer: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        underline = _RST_ADORN.match(nxt)
        if line.strip() and underline and len(nxt.strip()) >= len(line.strip()):
            out.add("\n".join(buffer), heading_path=tuple(headings))
            buffer.clear()
            char = underline.group(1)
            if char not in levels:
                levels.append(char)
            level = levels.index(char)
            del headings[level:]
            headings.append(line.strip())
            i += 2
            continue
        if not _RST_ADORN.match(line):
            buffer.append(line)
        i += 1
    out.add("\n".join(buffer), heading_path=tuple(headings))


def _plain(text: str, out: _Builder) -> None:
    out.add(text)


def _code(text: str, out: _Builder) -> None:
    out.add(text, kind="code")


# ---- HTML and EPUB --------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "nav", "noscript", "template", "svg", "head", "footer"}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "section",
    "article",
    "blockquote",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "figcaption",
    "hr",
    "main",
    "aside",
    "header",
}


class _HtmlText(HTMLParser):
    def __init__(self, out: _Builder, page: int | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.out = out
        self.page = page
        self.headings: list[str] = []
        self.buffer: list[str] = []
        self.skip = 0
        self.heading_level = 0
        self.heading_text: list[str] = []
        self.pre = 0
        self.title = ""
        self._in_title = False

    def flush(self, kind: str = "text") -> None:
        text = (
            re.sub(r"[ \t\r\f\v]+", " ", "".join(self.buffer))
            if kind == "text"
            else "".join(self.buffer)
        )
        text = re.sub(r"\n\s*\n+", "\n\n", text) if kind == "text" else text
        self.out.add(text.strip(), page=self.page, heading_path=tuple(self.headings), kind=kind)
        self.buffer.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag) and not self.skip:
            self.flush()
            self.heading_level = int(tag[1])
            self.heading_text = []
        elif tag == "pre" and not self.skip:
            self.flush()
            self.pre += 1
        elif tag in _BLOCK_TAGS:
            self.buffer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) and self.heading_level:
            title = " ".join("".join(self.heading_text).split())
            del self.headings[self.heading_level - 1 :]
            if title:
                self.headings.append(title)
            self.heading_level = 0
        elif tag == "pre" and self.pre:
            self.flush(kind="code")
            self.pre -= 1
        elif tag in _BLOCK_TAGS:
            self.buffer.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self.skip:
            return
        if self.heading_level:
            self.heading_text.append(data)
        else:
            self.buffer.append(data)

    def close(self) -> None:
        super().close()
        self.flush()


def _html(text: str, out: _Builder, page: int | None = None) -> str:
    parser = _HtmlText(out, page)
    parser.feed(text)
    parser.close()
    return parser.title.strip()


# ---- CSV and JSON ----------------------------------------------------------------------------


def _csv(text: str, out: _Builder, tab: bool) -> None:
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = (
            csv.excel_tab if tab else csv.Sniffer().sniff(sample, delimiters=",;\t|")
        )
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    header = next(rows, None)
    if header is None:
        return
    lines: list[str] = []
    for row in rows:
        cells = [
            f"{h.strip() or f'column {i + 1}'}: {v.strip()}"
            for i, (h, v) in enumerate(zip(header, row, strict=False))
            if v.strip()
        ]
        if cells:
            lines.append("; ".join(cells))
        if len(lines) >= 50:
            out.add("\n".join(lines), kind="table")
            lines = []
    out.add("\n".join(lines) if lines else " | ".join(header), kind="table")


def _json(text: str, out: _Builder, lines: bool) -> None:
    try:
        if lines:
            values = [json.loads(line) for line in text.splitlines() if line.strip()]
            for value in values:
                out.add(json.dumps(value, ensure_ascii=False, indent=2))
        else:
            out.add(json.dumps(json.loads(text), ensure_ascii=False, indent=2))
    except ValueError as exc:
        raise CorruptFile(
            f"is not valid JSON ({exc})", "Fix the file, or rename it to .txt."
        ) from None


# ---- PDF ------------------------------------------------------------------------------------


def _pdf(path: Path, out: _Builder) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise FileNotDecryptedError("password required")
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise EncryptedFile(
                    f"{path.name} is password-protected.",
                    "Save an unprotected copy and add that instead.",
                    path=str(path),
                ) from exc
        for number, page in enumerate(reader.pages, start=1):
            out.add(page.extract_text() or "", page=number)
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)
    except IngestError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        AssertionError,
        OSError,
    ) as exc:
        raise CorruptFile(
            f"{path.name} is damaged or not a valid PDF ({type(exc).__name__}).",
            "Open it in a PDF viewer and save it again, or re-download it.",
            path=str(path),
        ) from None
    if not out.segments:
        raise NoTextLayer(
            f"{path.name} has no text layer (it looks like a scan).",
            "Run it through OCR (for example ocrmypdf) and add the result.",
            path=str(path),
        )
    return title


# ---- zip-based formats: DOCX, ODT, PPTX, EPUB ----------------------------------------------


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFile(
            f"{path.name} is damaged (not a valid {path.suffix.lstrip('.').upper()} package).",
            "Open it in its application and save it again.",
            path=str(path),
        ) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if total > MAX_UNZIPPED or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
            archive.close()
            raise FileTooLarge(
                f"{path.name} would unpack to an unreasonable size (a zip bomb?).",
                "Hearth refuses files that expand beyond 512 MB.",
                path=str(path),
            )
    return archive


def _docx(path: Path, out: _Builder) -> str:
    _open_zip(path).close()
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise CorruptFile(
            f"{path.name} is damaged or not a valid Word document ({type(exc).__name__}).",
            "Open it in Word or LibreOffice and save it again.",
            path=str(path),
        ) from None
    headings: list[str] = []
    buffer: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            style = (block.style.name if block.style is not None else "") or ""
            level = _heading_level(style)
            if level:
                out.add("\n".join(buffer), heading_path=tuple(headings))
                buffer.clear()
                del headings[level - 1 :]
                headings.append(block.text.strip())
            elif block.text.strip():
                buffer.append(block.text)
        elif isinstance(block, Table):
            out.add("\n".join(buffer), heading_path=tuple(headings))
            buffer.clear()
            rows = [" | ".join(c.text.strip() for c in row.cells) for row in block.rows]
            out.add("\n".join(rows), heading_path=tuple(headings), kind="table")
    out.add("\n".join(buffer), heading_path=tuple(headings))
    return str(document.core_properties.title or "")


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(name))  # noqa: S314 - local file, no entities expanded by ElementTree
    except (KeyError, ElementTree.ParseError) as exc:
        raise CorruptFile(
            f"{path.name} is damaged ({name} is missing or malformed).",
            "Open it in its application and save it again.",
            path=str(path),
        ) from exc


_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _odt(path: Path, out: _Builder) -> str:
    with _open_zip(path) as archive:
        root = _xml(archive, "content.xml", path)
    headings: list[str] = []
    buffer: list[str] = []
    for element in root.iter():
        if element.tag == f"{_ODF_TEXT}h":
            out.add("\n".join(buffer), heading_path=tuple(headings))
            buffer.clear()
            level = int(element.get(f"{_ODF_TEXT}outline-level") or 1)
            del headings[level - 1 :]
            headings.append("".join(element.itertext()).strip())
        elif element.tag == f"{_ODF_TEXT}p":
            text = "".join(element.itertext())
            if text.strip():
                buffer.append(text)
    out.add("\n".join(buffer), heading_path=tuple(headings))
    return ""


def _pptx(path: Path, out: _Builder) -> str:
    with _open_zip(path) as archive:
        slides = sorted(
            (n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
            key=lambda n: int(re.findall(r"\d+", n)[-1]),
        )
        for number, name in enumerate(slides, start=1):
            root = _xml(archive, name, path)
            paragraphs = [
                "".join(
                    t.text or ""
                    for t in p.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t")
                )
                for p in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}p")
            ]
            out.add("\n".join(p for p in paragraphs if p.strip()), page=number)
    return ""


def _epub(path: Path, out: _Builder) -> str:
    with _open_zip(path) as archive:
        container = _xml(archive, "META-INF/container.xml", path)
        rootfile = next(
            (e.get("full-path") for e in container.iter() if e.tag.endswith("rootfile")), None
        )
        if not rootfile:
            raise CorruptFile(
                f"{path.name} is damaged (no package file).", "Re-download it.", path=str(path)
            )
        opf = _xml(archive, rootfile, path)
        base = posixpath.dirname(rootfile)
        manifest = {e.get("id"): e.get("href") for e in opf.iter() if e.tag.endswith("}item")}
        spine = [e.get("idref") for e in opf.iter() if e.tag.endswith("}itemref")]
        title = next((e.text or "" for e in opf.iter() if e.tag.endswith("}title")), "")
        for number, idref in enumerate(spine, start=1):
            href = manifest.get(idref)
            if not href:
                continue
            name = posixpath.normpath(posixpath.join(base, href))
            try:
                data = archive.read(name)
            except KeyError:
                log.info("epub %s lacks %s", path.name, name)
                continue
            _html(decode_text(data)[0], out, page=number)
    return title


# ---- dispatch -------------------------------------------------------------------------------


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if (
        head[:4] in (b"\x7fELF", b"MZ\x90\x00")
        or head[:8] == b"\x89PNG\r\n\x1a\n"
        or head[:3] == b"\xff\xd8\xff"
    ):
        return "binary"
    sample = head[:8192]
    if b"\x00" in sample and not (
        sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample)
    ):
        return "binary"
    return "text"


def _looks_utf16(sample: bytes) -> bool:
    zeros = sample.count(0)
    return len(sample) >= 4 and abs(sample[0::2].count(0) - sample[1::2].count(0)) > zeros * 0.8


TextLoader = Callable[[str, _Builder], object]


def _text_loader(path: Path) -> TextLoader:
    suffix = path.suffix.lower()
    if suffix in formats.MARKDOWN:
        return _markdown
    if suffix in formats.RST:
        return _rst
    if suffix in formats.HTML:
        return _html
    if suffix in formats.CSV:
        return lambda text, out: _csv(text, out, suffix == ".tsv")
    if suffix in formats.JSON:
        return lambda text, out: _json(text, out, suffix != ".json")
    if suffix in formats.CODE or path.name in formats.CODE_NAMES:
        return _code
    return _plain


def load_document(path: Path, *, max_bytes: int = MAX_BYTES) -> LoadedDocument:
    """Read one file. Raises an IngestError subclass with a sentence naming the file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLarge(
                f"{path.name} is too large ({size / 1e6:.0f} MB; "
                f"the limit is {max_bytes / 1e6:.0f} MB).",
                "Split it into smaller files.",
                path=str(path),
            )
        with path.open("rb") as handle:
            head = handle.read(8192)
    except IngestError:
        raise
    except OSError as exc:
        raise FileUnreadable(
            f"{path.name} cannot be read: {exc.strerror or exc}.",
            "Check that the file exists and that you may read it.",
            path=str(path),
        ) from None
    if size == 0:
        raise UnsupportedFile(f"{path.name} is empty: nothing to index.", "", path=str(path))
    kind = _sniff(head)
    suffix = path.suffix.lower()
    out = _Builder()
    if kind == "pdf":
        title = _pdf(path, out)
        return out.document(path, title=title, mime="application/pdf")
    if kind == "zip":
        reader = {".docx": _docx, ".odt": _odt, ".pptx": _pptx, ".epub": _epub}.get(suffix)
        if reader is None:
            raise UnsupportedFile(
                f"{path.name} is an archive, not a document Hearth can read.",
                "Unpack it and add the files inside.",
                path=str(path),
            )
        return out.document(path, title=reader(path, out))
    if (
        kind == "binary"
        or suffix in formats.PDF | formats.DOCX | formats.ODT | formats.PPTX | formats.EPUB
    ):
        what = (
            "a binary file"
            if kind == "binary"
            else f"not a valid {suffix.lstrip('.').upper()} file"
        )
        error = UnsupportedFile if kind == "binary" else CorruptFile
        raise error(
            f"{path.name} is {what}, not text.",
            "Add documents, text or source code.",
            path=str(path),
        )
    try:
        text, encoding = decode_text(path.read_bytes())
    except OSError as exc:
        raise FileUnreadable(
            f"{path.name} cannot be read: {exc.strerror}.", "", path=str(path)
        ) from None
    try:
        found = _text_loader(path)(text, out)
    except CorruptFile as exc:
        raise CorruptFile(f"{path.name} {exc.message}", exc.hint, path=str(path)) from None
    return out.document(path, title=found if isinstance(found, str) else "", encoding=encoding)
