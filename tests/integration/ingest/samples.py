"""Files the loader tests generate: PDFs with a text layer, office packages, zip bombs."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path


def _cmap(cids: dict[str, int]) -> bytes:
    entries = "\n".join(f"<{cid:04X}> <{ord(ch):04X}>" for ch, cid in cids.items())
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(cids)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_bytes(pages: list[str]) -> bytes:
    """A valid PDF whose pages show the given text (any script), one line per page.

    The font is a composite (Type0, Identity-H) font with a ToUnicode map, which is all a
    text extractor needs; no glyphs are embedded, so viewers would draw boxes. A page
    given as "" has no text operators at all, like a scanned page.
    """
    cids = {ch: number for number, ch in enumerate(sorted({c for p in pages for c in p}), 1)}
    count = len(pages)
    font = 3 + 2 * count
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (" ".join(f"{3 + 2 * i} 0 R" for i in range(count)).encode(), count),
    ]
    for index, text in enumerate(pages):
        glyphs = "".join(f"{cids[ch]:04X}" for ch in text)
        content = f"BT /F1 12 Tf 72 720 Td <{glyphs}> Tj ET".encode() if text else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * index, font)
        )
        objects.append(_stream(content))
    objects += [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /HearthTest /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (font + 1, font + 2),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /HearthTest /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        _stream(_cmap(cids)),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size a zip declares for `member` (local header and central
    directory), as a zip bomb does, without writing that much data."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = data.find(signature)
        while position >= 0:
            if data[position + name_at : position + name_at + len(name)] == name:
                struct.pack_into("<I", data, position + size_at, size)
            position = data.find(signature, position + 4)
    path.write_bytes(bytes(data))


def odt(path: Path, body: str) -> None:
    """A minimal OpenDocument text file whose office:text holds `body`."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            "<office:document-content "
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
            f"<office:body><office:text>{body}</office:text></office:body>"
            "</office:document-content>",
        )


_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def pptx(path: Path, slides: dict[int, list[str]], order: list[int]) -> None:
    """A minimal presentation: slideN.xml files with paragraphs, shown in `order`."""
    with zipfile.ZipFile(path, "w") as archive:
        for number, paragraphs in slides.items():
            body = "".join(f"<a:p><a:r><a:t>{p}</a:t></a:r></a:p>" for p in paragraphs)
            archive.writestr(
                f"ppt/slides/slide{number}.xml",
                f'<p:sld xmlns:p="{_P}" xmlns:a="{_A}"><p:cSld><p:spTree><p:sp><p:txBody>'
                f"{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
            )
        ids = "".join(f'<p:sldId id="{256 + n}" r:id="rId{n}"/>' for n in order)
        archive.writestr(
            "ppt/presentation.xml",
            f'<p:presentation xmlns:p="{_P}" xmlns:r="{_R}"><p:sldIdLst>{ids}</p:sldIdLst>'
            "</p:presentation>",
        )
        rels = "".join(
            f'<Relationship Id="rId{n}" Target="slides/slide{n}.xml" Type="slide"/>' for n in slides
        )
        archive.writestr(
            "ppt/_rels/presentation.xml.rels",
            f'<Relationships xmlns="{_RELS}">{rels}</Relationships>',
        )


def epub(path: Path, title: str, chapters: list[str]) -> None:
    """A minimal EPUB: a container, a package file and one XHTML file per chapter."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<container><rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>',
        )
        items = "".join(f'<item id="c{i}" href="c{i}.xhtml"/>' for i in range(len(chapters)))
        spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
        archive.writestr(
            "OEBPS/book.opf",
            '<package xmlns="http://www.idpf.org/2007/opf" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<metadata><dc:title>{title}</dc:title></metadata>"
            f"<manifest>{items}</manifest><spine>{spine}</spine></package>",
        )
        for i, chapter in enumerate(chapters):
            archive.writestr(f"OEBPS/c{i}.xhtml", f"<html><body>{chapter}</body></html>")
