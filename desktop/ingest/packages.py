"""PDF and the zip-based formats (DOCX, ODT, PPTX, EPUB).

A zip's directory is checked before anything is unpacked: the sizes it declares bound what
`zipfile` will ever inflate, so a package that declares too much (a zip bomb) is refused
without reading it.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from desktop.core.errors import (
    CorruptFile,
    EncryptedFile,
    FileTooLarge,
    IngestError,
    NoTextLayer,
    UnsupportedFile,
)
from desktop.ingest.encoding import decode_text
from desktop.ingest.segments import Section, SegmentBuilder
from desktop.ingest.textual import HtmlText

log = logging.getLogger(__name__)

# Uncompressed size allowed inside an office/epub zip, and the compression ratio above
# which a big entry is treated as a zip bomb.
MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200
_BIG_ENTRY = 10 * 1024 * 1024

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "epub": "application/epub+zip",
}


# ---- PDF ------------------------------------------------------------------------------------


def _encrypted(path: Path) -> EncryptedFile:
    return EncryptedFile(
        f"{path.name} is password-protected.",
        "Save an unprotected copy and add that instead.",
        path=str(path),
    )


def read_pdf(path: Path, out: SegmentBuilder) -> str:
    """One segment per page with its page number; returns the title from the metadata."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        # Many PDFs are encrypted only to restrict printing or copying: their user
        # password is empty, and they open without asking anyone.
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(path)
        for number, page in enumerate(reader.pages, start=1):
            out.add(page.extract_text() or "", page=number)
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)
    except IngestError:
        raise
    except (FileNotDecryptedError, NotImplementedError):
        # NotImplementedError: an encryption scheme pypdf cannot undo.
        raise _encrypted(path) from None
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        AssertionError,
        IndexError,
        RecursionError,
        OSError,
        zlib.error,
    ) as exc:
        # pypdf raises many kinds for a damaged file; the kind is for the log, not people.
        log.info("%s: unreadable PDF (%s)", path.name, type(exc).__name__)
        raise CorruptFile(
            f"{path.name} is damaged or not a valid PDF.",
            "Open it in a PDF viewer and save it again, or download it again.",
            path=str(path),
        ) from None
    if not out.segments:
        raise NoTextLayer(
            f"{path.name} has no text layer (it looks like a scan) and needs OCR.",
            "Run it through OCR (for example ocrmypdf) and add the result.",
            path=str(path),
        )
    return title


# ---- zip packages ---------------------------------------------------------------------------


def open_package(path: Path) -> zipfile.ZipFile:
    """Open a zip after checking the sizes its directory declares."""
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
        if total > MAX_UNZIPPED or (info.file_size > _BIG_ENTRY and ratio > MAX_RATIO):
            archive.close()
            raise FileTooLarge(
                f"{path.name} would unpack to an unreasonable size (a zip bomb?).",
                f"Hearth refuses packages that expand beyond {MAX_UNZIPPED // 2**20} MB.",
                path=str(path),
            )
    return archive


def package_kind(archive: zipfile.ZipFile) -> str:
    """ "docx", "odt", "pptx", "epub", "xlsx" or "" (some other zip), by what is inside."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names or any(_SLIDE.fullmatch(n) for n in names):
        return "pptx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "META-INF/container.xml" in names:
        return "epub"
    if "content.xml" in names:
        return "odt"
    return ""


def read_package(path: Path, out: SegmentBuilder) -> tuple[str, str]:
    """Read a zip-based document; returns (title, mime type)."""
    with open_package(path) as archive:
        kind = package_kind(archive)
        if kind == "odt":
            title = _odt(archive, path, out)
        elif kind == "pptx":
            title = _pptx(archive, path, out)
        elif kind == "epub":
            title = _epub(archive, path, out)
        elif kind != "docx":
            raise _not_a_document(path, kind)
    if kind == "docx":
        title = _docx(path, out)
    return title, MIME[kind]


def damaged_by_name(path: Path) -> CorruptFile | None:
    """The error for a file whose name says it is a document of a kind Hearth reads, but
    whose content is not (None when the name says nothing of the kind)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in MIME:
        return None
    return CorruptFile(
        f"{path.name} is damaged or not a valid {suffix.upper()} file.",
        "Open it in its application and save it again.",
        path=str(path),
    )


def _not_a_document(path: Path, kind: str) -> IngestError:
    if kind == "xlsx":
        return UnsupportedFile(
            f"{path.name} is an Excel workbook, which Hearth cannot read.",
            "Save its sheets as CSV and add those.",
            path=str(path),
        )
    if (damaged := damaged_by_name(path)) is not None:
        return damaged
    return UnsupportedFile(
        f"{path.name} is an archive, not a document Hearth can read.",
        "Unpack it and add the files inside.",
        path=str(path),
    )


def _xml(archive: zipfile.ZipFile, name: str, path: Path) -> ElementTree.Element:
    try:
        # The standard parser expands no external entities, and expat (2.4 and later)
        # stops entity-expansion bombs; the zip check above bounds the input's size.
        return ElementTree.fromstring(archive.read(name))  # noqa: S314
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, zlib.error) as exc:
        raise CorruptFile(
            f"{path.name} is damaged ({name} is missing or malformed).",
            "Open it in its application and save it again.",
            path=str(path),
        ) from exc


# ---- DOCX -----------------------------------------------------------------------------------


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def _docx(path: Path, out: SegmentBuilder) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        log.info("%s: unreadable Word document (%s)", path.name, type(exc).__name__)
        raise CorruptFile(
            f"{path.name} is damaged or not a valid Word document.",
            "Open it in Word or LibreOffice and save it again.",
            path=str(path),
        ) from None
    section = Section(out)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            style = (block.style.name if block.style is not None else "") or ""
            level = _heading_level(style)
            if level:
                section.heading(level, block.text)
            elif block.text.strip():
                section.line(block.text)
                section.line("")
        elif isinstance(block, Table):
            rows = (_distinct(c.text.strip() for c in row.cells) for row in block.rows)
            section.block("\n".join(" | ".join(cells) for cells in rows), "table")
    section.flush()
    return str(document.core_properties.title or "")


def _distinct(cells: Iterator[str]) -> list[str]:
    """Cells of a row, a merged cell (repeated by python-docx) kept once."""
    kept: list[str] = []
    for cell in cells:
        if not kept or cell != kept[-1]:
            kept.append(cell)
    return kept


# ---- ODT ------------------------------------------------------------------------------------

_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _odf_text(element: ElementTree.Element) -> str:
    """The text of a paragraph, with ODF's space, tab and line-break elements."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_ODF_TEXT}s":
            parts.append(" " * int(child.get(f"{_ODF_TEXT}c") or 1))
        elif child.tag == f"{_ODF_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_ODF_TEXT}line-break":
            parts.append("\n")
        elif child.tag != f"{_ODF_TEXT}note":
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odf_walk(element: ElementTree.Element, section: Section) -> None:
    for child in element:
        if child.tag == f"{_ODF_TEXT}h":
            level = int(child.get(f"{_ODF_TEXT}outline-level") or 1)
            section.heading(level, _odf_text(child))
        elif child.tag == f"{_ODF_TEXT}p":
            text = _odf_text(child)
            if text.strip():
                section.line(text)
                section.line("")
        elif child.tag == f"{_ODF_TABLE}table":
            rows = [
                " | ".join(_odf_text(cell).strip() for cell in row.iter(f"{_ODF_TABLE}table-cell"))
                for row in child.iter(f"{_ODF_TABLE}table-row")
            ]
            section.block("\n".join(rows), "table")
        else:
            _odf_walk(child, section)


def _odt(archive: zipfile.ZipFile, path: Path, out: SegmentBuilder) -> str:
    root = _xml(archive, "content.xml", path)
    section = Section(out)
    _odf_walk(root, section)
    section.flush()
    return ""


# ---- PPTX -----------------------------------------------------------------------------------

_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml")
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PRESENTATION = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _slide_number(name: str) -> int:
    match = _SLIDE.fullmatch(name)
    return int(match.group(1)) if match else 0


def _slide_order(archive: zipfile.ZipFile, path: Path) -> list[str]:
    """Slide part names in the order the presentation shows them (its slide list), which
    differs from the file names once slides have been moved."""
    names = set(archive.namelist())
    by_number = sorted((n for n in names if _SLIDE.fullmatch(n)), key=_slide_number)
    if {"ppt/presentation.xml", "ppt/_rels/presentation.xml.rels"} - names:
        return by_number
    rels = _xml(archive, "ppt/_rels/presentation.xml.rels", path)
    targets = {
        rel.get("Id"): posixpath.normpath(posixpath.join("ppt", rel.get("Target") or ""))
        for rel in rels.iter(f"{_RELS}Relationship")
    }
    presentation = _xml(archive, "ppt/presentation.xml", path)
    slides = presentation.iter(f"{_PRESENTATION}sldId")
    ordered = [targets.get(slide.get(_REL_ID)) for slide in slides]
    listed = [name for name in ordered if name in names]
    return listed or by_number


def _pptx(archive: zipfile.ZipFile, path: Path, out: SegmentBuilder) -> str:
    for number, name in enumerate(_slide_order(archive, path), start=1):
        root = _xml(archive, name, path)
        paragraphs = (
            "".join(t.text or "" for t in p.iter(f"{_DRAWING}t")) for p in root.iter(f"{_DRAWING}p")
        )
        out.add("\n".join(p for p in paragraphs if p.strip()), page=number)
    return ""


# ---- EPUB -----------------------------------------------------------------------------------


def _epub(archive: zipfile.ZipFile, path: Path, out: SegmentBuilder) -> str:
    """Chapters in reading order (the spine), headings from their HTML."""
    container = _xml(archive, "META-INF/container.xml", path)
    rootfile = next(
        (e.get("full-path") for e in container.iter() if e.tag.endswith("rootfile")), None
    )
    if not rootfile:
        raise CorruptFile(
            f"{path.name} is damaged (no package file).", "Download it again.", path=str(path)
        )
    opf = _xml(archive, rootfile, path)
    base = posixpath.dirname(rootfile)
    manifest = {e.get("id"): e.get("href") for e in opf.iter() if e.tag.endswith("}item")}
    spine = [e.get("idref") for e in opf.iter() if e.tag.endswith("}itemref")]
    title = next((e.text or "" for e in opf.iter() if e.tag.endswith("}title")), "")
    for idref in spine:
        href = manifest.get(idref)
        if not href:
            continue
        name = posixpath.normpath(posixpath.join(base, href))
        try:
            data = archive.read(name)
        except KeyError:
            log.info("epub %s lacks %s", path.name, name)
            continue
        parser = HtmlText(out)
        parser.feed(decode_text(data)[0])
        parser.close()
    return title.strip()
