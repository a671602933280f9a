"""PDF and the zip-based formats (DOCX, ODT, PPTX, EPUB).

A zip's directory is checked before anything is unpacked: the sizes it declares bound what
`zipfile` will ever inflate, so a package that declares too much (a zip bomb) is refused
without reading it.
"""

from __future__ import annotations

import logging
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from desktop.core.documents import TextRegion
from desktop.core.errors import (
    CorruptFile,
    EncryptedFile,
    FileTooLarge,
    IngestError,
    NoTextLayer,
    UnsupportedFile,
)
from desktop.ingest.encoding import decode_text
from desktop.ingest.images import check_pixels, no_ocr, ocr_off, recognise, regions_of
from desktop.ingest.ocr import reader as ocr_reader
from desktop.ingest.pdf_text import add_pages, layout_pages, scan_placements
from desktop.ingest.segments import Section, SegmentBuilder
from desktop.ingest.textual import HtmlText

log = logging.getLogger(__name__)

# Uncompressed size allowed inside an office/epub zip, and the compression ratio above
# which a big entry is treated as a zip bomb.
MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200
_BIG_ENTRY = 10 * 1024 * 1024
# Parts allowed in a package (a large EPUB has a few thousand), and how far from the end
# of a zip its end record can sit (22 bytes and a comment of up to 64 KB).
MAX_ENTRIES = 10_000
_END_RECORD_SPAN = 22 + 0xFFFF
# XML deeper than this is refused (libxml2's own default limit; real documents stay far below).
MAX_XML_DEPTH = 256

# Inflated page content allowed in one PDF (all its pages' content streams together).
MAX_PDF_CONTENT = 256 * 1024 * 1024

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


def _pdf_limit(path: Path, exc: Exception) -> IngestError:
    """pypdf stops at its own limits (streams inflating past 75 MB, arrays of 100,000
    items, cycles): a stream bomb is refused as too large, the rest as damaged."""
    from pypdf import get_configuration

    if "decompress" in str(exc):
        limit = get_configuration().zlib_maximum_output_length // 2**20
        return FileTooLarge(
            f"{path.name} expands to more than {limit} MB (a compression bomb?).",
            f"Hearth refuses PDF streams that inflate beyond {limit} MB.",
            path=str(path),
        )
    return _damaged_pdf(path, exc)


def _damaged_pdf(path: Path, exc: BaseException) -> CorruptFile:
    # pypdf raises many kinds for a damaged file; the kind is for the log, not people.
    log.info("%s: unreadable PDF (%s)", path.name, type(exc).__name__)
    return CorruptFile(
        f"{path.name} is damaged or not a valid PDF.",
        "Open it in a PDF viewer and save it again, or download it again.",
        path=str(path),
    )


# What pypdf raises for a damaged file besides its own errors.
_PDF_ERRORS = (
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    AssertionError,
    ArithmeticError,
    RecursionError,
    OSError,
    zlib.error,
)


def read_pdf(path: Path, out: SegmentBuilder) -> str:
    """One segment per page with its page number; returns the title from the metadata."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    try:
        reader = PdfReader(path)
        # Many PDFs are encrypted only to restrict printing or copying: their user
        # password is empty, and they open without asking anyone.
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(path)
        _add_pages(path, reader.pages, out)
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)
    except IngestError:
        raise
    except (FileNotDecryptedError, NotImplementedError):
        # NotImplementedError: an encryption scheme pypdf cannot undo.
        raise _encrypted(path) from None
    except LimitReachedError as exc:
        raise _pdf_limit(path, exc) from None
    except (PyPdfError, *_PDF_ERRORS) as exc:
        raise _damaged_pdf(path, exc) from None
    if not out.segments:
        raise NoTextLayer(
            f"{path.name} contains no readable text (no text layer, and no picture of a page"
            " with text on it).",
            "Check that the file has content.",
            path=str(path),
        )
    return title


def _add_pages(path: Path, pdf_pages: Any, out: SegmentBuilder) -> None:
    """Each page's text in page order, in reading order where PDFium can place it; a page
    without a text layer is read by OCR from its largest picture (the scan of the page),
    so a mixed PDF has only its scanned pages read that way."""
    _check_pdf_content(path, pdf_pages)
    laid_out = layout_pages(path)
    pages: list[list[str]] = []
    scans: dict[int, Any] = {}
    sizes: dict[int, tuple[int, int]] = {}  # each scan's size in pixels, as declared
    for number, page in enumerate(pdf_pages, start=1):
        if laid_out is not None and number <= len(laid_out):
            lines = laid_out[number - 1]
        else:
            lines = (page.extract_text() or "").splitlines()
        pages.append(lines)
        if not any(line.strip() for line in lines) and (found := _scan_of(path, page)):
            scans[number], sizes[number] = found
    if scans and not out.ocr:
        if not any(line.strip() for lines in pages for line in lines):
            raise ocr_off(path, "has no text layer (it looks like a scan)")
        log.info("%s: %d scanned pages left out (OCR is off)", path.name, len(scans))
        scans = {}
    if scans and not ocr_reader().available:
        if not any(line.strip() for lines in pages for line in lines):
            raise no_ocr(path, "has no text layer (it looks like a scan)")
        log.info("%s: %d scanned pages left out (no OCR engine)", path.name, len(scans))
        scans = {}
    read: dict[int, tuple[TextRegion, ...]] = {}
    placements = scan_placements(path, {n: sizes[n] for n in scans})
    for index, (number, scan) in enumerate(scans.items(), start=1):
        out.recognising(index, len(scans))
        picture = scan.image
        if picture is not None:
            check_pixels(path, picture.size)
            page = recognise(picture)
            regions = regions_of(page, picture.size)
            placement = placements.get(number)
            if placement is not None:
                # Places on the picture become places on the page, where the picture is
                # drawn (a scan may be set in margins, scaled or turned).
                regions = tuple(TextRegion(r.text, placement.box(r.box)) for r in regions)
            read[number] = regions
            pages[number - 1] = page.text.splitlines()
            if page.text.strip():
                out.recognised(number, uncertain=page.uncertain)
    add_pages(pages, out, read)


def _scan_of(path: Path, page: Any) -> tuple[Any, tuple[int, int]] | None:
    """The page's largest picture (the scan of the page), not yet decoded, and its size in
    pixels: its declared size is checked first, so a picture claiming billions of pixels is
    refused before anything is expanded."""
    images = page.images
    best, best_pixels, best_size = None, 0, (0, 0)
    for key in images.keys():  # noqa: SIM118 - iterating the images would decode them
        names = key if isinstance(key, (tuple, list)) else [key]
        node = page
        try:
            for name in names:
                node = node["/Resources"]["/XObject"][name].get_object()
            width, height = int(node.get("/Width", 0)), int(node.get("/Height", 0))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        check_pixels(path, (width, height))
        if width * height > best_pixels:
            best, best_pixels, best_size = key, width * height, (width, height)
    return (images[best], best_size) if best is not None else None


def _check_pdf_content(path: Path, pdf_pages: Any) -> None:
    """Inflate the pages' content streams through pypdf, which stops a stream past its limit
    (75,000,000 bytes), and bound their total, before PDFium (which has no such limit) lays
    the pages out."""
    total = 0
    for page in pdf_pages:
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > MAX_PDF_CONTENT:
            raise FileTooLarge(
                f"{path.name} expands to more than {MAX_PDF_CONTENT // 2**20} MB of page"
                " content (a compression bomb?).",
                "Hearth refuses PDFs whose pages hold that much.",
                path=str(path),
            )


# ---- zip packages ---------------------------------------------------------------------------


def _declared_entries(path: Path) -> int:
    """How many parts a zip's end record declares (0 when it has none; 0xFFFF for a zip64
    archive, whose count is checked once it is open)."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - _END_RECORD_SPAN))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return 0
    return int(struct.unpack_from("<H", tail, at + 10)[0])


def _too_large(path: Path, what: str) -> FileTooLarge:
    return FileTooLarge(
        f"{path.name} {what} (a zip bomb?).",
        f"Hearth refuses packages that expand beyond {MAX_UNZIPPED // 2**20} MB or hold more"
        f" than {MAX_ENTRIES} parts.",
        path=str(path),
    )


def open_package(path: Path) -> zipfile.ZipFile:
    """Open a zip after checking what its directory declares: the number of parts (before
    the directory is read), their sizes and their compression ratios (before anything is
    inflated; zipfile never inflates a part beyond its declared size)."""
    if MAX_ENTRIES < _declared_entries(path) < 0xFFFF:
        raise _too_large(path, f"holds more than {MAX_ENTRIES} parts")
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise _damaged_package(path, exc) from None
    infos = archive.infolist()
    total = 0
    problem = f"holds more than {MAX_ENTRIES} parts" if len(infos) > MAX_ENTRIES else ""
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if total > MAX_UNZIPPED:
            problem = f"expands to more than {MAX_UNZIPPED // 2**20} MB"
        elif info.file_size > _BIG_ENTRY and ratio > MAX_RATIO:
            problem = (
                f"has a part ({info.filename}) that expands {ratio:.0f} times, to more than"
                f" {_BIG_ENTRY // 2**20} MB"
            )
        if problem:
            archive.close()
            raise _too_large(path, problem)
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


# What zipfile raises for a damaged member besides BadZipFile: an unknown compression
# method or zip version (NotImplementedError), an encrypted member (RuntimeError), a cut or
# garbled stream (EOFError, zlib.error), a bad header (ValueError, OSError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
)


def _damaged_package(path: Path, exc: BaseException) -> CorruptFile:
    return CorruptFile(
        f"{path.name} is damaged (not a valid {path.suffix.lstrip('.').upper()} package:"
        f" {type(exc).__name__}).",
        "Open it in its application and save it again.",
        path=str(path),
    )


def read_package(path: Path, out: SegmentBuilder) -> tuple[str, str]:
    """Read a zip-based document; returns (title, mime type)."""
    try:
        return _read_package(path, out)
    except _ZIP_ERRORS as exc:
        raise _damaged_package(path, exc) from None


def _read_package(path: Path, out: SegmentBuilder) -> tuple[str, str]:
    with open_package(path) as archive:
        kind = package_kind(archive)
        if kind == "odt":
            title = _odt(archive, path, out)
        elif kind == "pptx":
            title = _pptx(archive, path, out)
        elif kind == "epub":
            title = _epub(archive, path, out)
        elif kind == "docx":
            _check_docx_xml(archive, path)
        else:
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
    """Parse one XML part safely: no entity declarations (the billion-laughs bomb) and no
    external references (reading other files or URLs), at most MAX_XML_DEPTH levels deep.
    Office and EPUB package parts never need either."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    depth = 0
    root: ElementTree.Element | None = None
    try:
        with archive.open(name) as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                depth += 1 if event == "start" else -1
                if depth > MAX_XML_DEPTH:
                    raise CorruptFile(
                        f"{path.name} nests its XML more than {MAX_XML_DEPTH} levels deep"
                        f" ({name}); Hearth refuses it.",
                        "A real document never nests that deep: it may be built to crash"
                        " programs that read it.",
                        path=str(path),
                    )
                root = element if root is None else root
    except DefusedXmlException as exc:
        raise CorruptFile(
            f"{path.name} declares XML entities or external references ({name}:"
            f" {type(exc).__name__}); Hearth refuses them.",
            "Documents never need them; they are how XML bombs and file-stealing tricks work.",
            path=str(path),
        ) from None
    except (KeyError, ElementTree.ParseError) as exc:
        raise CorruptFile(
            f"{path.name} is damaged ({name} is missing or malformed).",
            "Open it in its application and save it again.",
            path=str(path),
        ) from exc
    assert root is not None  # a document that parses has a root element
    return root


def _check_docx_xml(archive: zipfile.ZipFile, path: Path) -> None:
    """python-docx parses the parts itself (lxml, entities left unexpanded, 256 levels):
    refuse a package whose XML declares entities before handing it over."""
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            _xml(archive, name, path)


# ---- DOCX -----------------------------------------------------------------------------------


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def _docx(path: Path, out: SegmentBuilder) -> str:
    import docx

    try:
        return _docx_text(docx.Document(str(path)), out)
    except Exception as exc:  # python-docx raises many kinds for a broken package
        log.info("%s: unreadable Word document (%s)", path.name, type(exc).__name__)
        raise CorruptFile(
            f"{path.name} is damaged or not a valid Word document.",
            "Open it in Word or LibreOffice and save it again.",
            path=str(path),
        ) from None


def _docx_text(document: Any, out: SegmentBuilder) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

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
_MAX_SPACES = 1000


def _odf_text(element: ElementTree.Element) -> str:
    """The text of a paragraph, with ODF's space, tab and line-break elements."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_ODF_TEXT}s":
            # The count is the file's word: a billion spaces would be a gigabyte.
            parts.append(" " * min(int(child.get(f"{_ODF_TEXT}c") or 1), _MAX_SPACES))
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
    # A slide listed twice (or a thousand times) is read once.
    listed = list(dict.fromkeys(name for name in ordered if name in names))
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
    chapters = (manifest.get(idref) for idref in spine)
    # A chapter listed many times in the spine is read once: re-reading one 10 MB chapter
    # ten thousand times would make 100 GB of text from a small file.
    for href in dict.fromkeys(href for href in chapters if href):
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
