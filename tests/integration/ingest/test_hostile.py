"""Files built to hurt: decompression bombs, XML attacks, pathological text, names that
turn themselves around. Each is refused with a sentence before it is expanded, or read
within bounded time and memory; the next file in the batch is read as usual."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from desktop.core.errors import CorruptFile, FileTooLarge, IngestError, UnsupportedFile
from desktop.ingest import packages
from desktop.ingest.loaders import load_document
from tests.integration.ingest import samples
from tests.integration.ingest.test_memory import peak_growth

pytestmark = pytest.mark.integration

MB = 2**20


def _docx(path: Path, text: str = "Innocent.") -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _good(tmp_path: Path) -> Path:
    return _docx(tmp_path / "good.docx", "The rest of the batch.")


def _refused_then_good(path: Path, tmp_path: Path, error: type[IngestError]) -> IngestError:
    """Load the hostile file, then a good one: the first is refused, the second read."""
    with pytest.raises(error) as info:
        load_document(path)
    assert info.value.message.startswith(path.name)
    assert [s.text for s in load_document(_good(tmp_path)).segments] == ["The rest of the batch."]
    return info.value


# ---- decompression bombs --------------------------------------------------------------------


def _with_member(source: Path, target: Path, name: str, data: bytes) -> Path:
    """A copy of the package `source` with one more (or a replaced) member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info.filename, old.read(info))
        new.writestr(name, data)
    return target


@pytest.mark.parametrize("suffix", ["docx", "odt", "pptx", "epub"])
def test_package_expanding_to_gigabytes_is_refused_unread(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bomb.{suffix}"
    if suffix == "docx":
        _docx(path)
        member = "word/document.xml"
    elif suffix == "odt":
        samples.odt(path, "<text:p>Small.</text:p>")
        member = "content.xml"
    elif suffix == "pptx":
        samples.pptx(path, {1: ["Small."]}, [1])
        member = "ppt/slides/slide1.xml"
    else:
        samples.epub(path, "Book", ["<p>Small.</p>"])
        member = "OEBPS/c0.xhtml"
    samples.declare_size(path, member, 3_000_000_000)
    error = _refused_then_good(path, tmp_path, FileTooLarge)
    assert f"expands to more than {packages.MAX_UNZIPPED // MB} MB" in error.message


def test_one_part_inflating_a_thousandfold_is_refused(tmp_path: Path) -> None:
    """A real bomb part (20 MB of zeros packed into 20 KB), not only a declared size."""
    path = _with_member(
        _docx(tmp_path / "base.docx"), tmp_path / "ratio.docx", "word/x.bin", bytes(20 * MB)
    )
    error = _refused_then_good(path, tmp_path, FileTooLarge)
    assert "word/x.bin" in error.message and "zip bomb" in error.message


def test_part_lying_about_its_size_is_cut_at_the_declared_size(tmp_path: Path) -> None:
    """A directory that declares less than the part inflates to: zipfile stops at the
    declared size and the check-sum fails, so no more than that is ever expanded."""
    source = tmp_path / "base.odt"
    samples.odt(source, "<text:p>" + "word " * 2_000_000 + "</text:p>")
    samples.declare_size(source, "content.xml", 1000)
    path = source.rename(tmp_path / "liar.odt")
    _refused_then_good(path, tmp_path, CorruptFile)


def test_package_with_too_many_parts_is_refused_before_its_directory_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crowd.epub"
    samples.epub(path, "Book", ["<p>x</p>"])
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(packages.MAX_ENTRIES + 1):
            archive.writestr(f"OEBPS/f{number}.txt", b"")
    error = _refused_then_good(path, tmp_path, FileTooLarge)
    assert f"more than {packages.MAX_ENTRIES} parts" in error.message


def test_nested_zips_inside_a_document_are_never_opened(tmp_path: Path) -> None:
    """Hearth reads no archive inside an archive: a 42.zip-style nest inside a Word file is
    carried as an opaque part and the document's text is read."""
    nest = b"innermost"
    for level in range(12):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as layer:
            for copy in range(4):
                layer.writestr(f"layer{level}-{copy}.zip", nest)
        nest = buffer.getvalue()
    path = _with_member(
        _docx(tmp_path / "base.docx", "Nest carrier."),
        tmp_path / "nest.docx",
        "word/embeddings/x.zip",
        nest,
    )
    assert [s.text for s in load_document(path).segments] == ["Nest carrier."]
    plain = tmp_path / "nest.zip.txt"
    plain.write_bytes(nest)
    with pytest.raises(UnsupportedFile, match="is an archive"):
        load_document(plain)


def _pdf_with_stream(content: bytes, extra: bytes = b"") -> bytes:
    """A one-page PDF whose content stream is `content` (flate-compressed here) and whose
    resources hold `extra` (a dictionary body) as /Im1."""
    packed = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        extra or b"<< >>",
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
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pdf_stream_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * 100 * MB))
    assert path.stat().st_size < MB
    error = _refused_then_good(path, tmp_path, FileTooLarge)
    assert "expands to more than 71 MB" in error.message


def test_pdf_image_claiming_ten_billion_pixels_is_not_decoded(tmp_path: Path) -> None:
    """Images are never decoded (there is no OCR): the page's text is read and the image
    that claims 100,000 x 100,000 pixels costs nothing."""
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB"
        b" /BitsPerComponent 8 /Filter /FlateDecode /Length 8 >>\nstream\n"
        + bytes(8)
        + b"\nendstream"
    )
    path = tmp_path / "huge-image.pdf"
    path.write_bytes(_pdf_with_stream(b"q /Im1 Do Q BT /F1 12 Tf 72 720 Td (Caption) Tj ET", image))
    assert [s.text for s in load_document(path).segments] == ["Caption"]


# ---- XML attacks ----------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _hostile_package(path: Path, suffix: str, prolog: str, body: str) -> None:
    """A package whose main XML part starts with `prolog` and holds `body` as text."""
    if suffix == "odt":
        samples.odt(path, f"<text:p>{body}</text:p>")
        member = "content.xml"
    elif suffix == "pptx":
        samples.pptx(path, {1: [body]}, [1])
        member = "ppt/slides/slide1.xml"
    elif suffix == "epub":
        samples.epub(path, body, ["<p>x</p>"])
        member = "OEBPS/book.opf"
    else:
        _docx(path, "PLACEHOLDER")
        member = "word/document.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts[member].decode()
    if xml.startswith("<?xml"):
        xml = xml[xml.index("?>") + 2 :]
    parts[member] = (prolog + xml.replace("PLACEHOLDER", body)).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("suffix", ["docx", "odt", "pptx", "epub"])
@pytest.mark.parametrize(
    ("attack", "prolog", "body"), [("laughs", LAUGHS, "&lol9;"), ("external", EXTERNAL, "&secret;")]
)
def test_xml_entities_are_refused(
    tmp_path: Path, suffix: str, attack: str, prolog: str, body: str
) -> None:
    path = tmp_path / f"{attack}.{suffix}"
    _hostile_package(path, suffix, prolog, body)
    error = _refused_then_good(path, tmp_path, CorruptFile)
    assert "declares XML entities or external references" in error.message
    assert "root:" not in error.message


@pytest.mark.parametrize("suffix", ["docx", "odt", "pptx", "epub"])
def test_xml_nested_too_deep_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep.{suffix}"
    depth = 100_000
    _hostile_package(path, suffix, "", "<x>" * depth + "bottom" + "</x>" * depth)
    error = _refused_then_good(path, tmp_path, CorruptFile)
    assert f"more than {packages.MAX_XML_DEPTH} levels deep" in error.message


def test_xml_with_a_harmless_doctype_is_read(tmp_path: Path) -> None:
    path = tmp_path / "doctype.odt"
    _hostile_package(
        path, "odt", '<!DOCTYPE office:document-content PUBLIC "-//OASIS//x" "x.dtd">', "Kept."
    )
    assert [s.text for s in load_document(path).segments] == ["Kept."]


# ---- pathological text ----------------------------------------------------------------------


def test_markdown_heading_of_spaces_reads_in_linear_time(tmp_path: Path) -> None:
    """The heading pattern backtracked quadratically over a line of spaces: 20,000 took
    21 s, this one would have taken days. pytest-timeout is the bound."""
    path = tmp_path / "spaces.md"
    path.write_text("# Title" + " " * 2_000_000 + "x\n\n# Closed ##\n\nBody.\n")
    doc = load_document(path)
    assert [(s.heading_path, s.text) for s in doc.segments] == [(("Closed",), "Body.")]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["line.txt", "line.md", "line.rst", "line.html", "line.py"])
def test_single_twenty_megabyte_line_has_bounded_memory(tmp_path: Path, name: str) -> None:
    """One line with no break at all (the bench reads a 200 MB one)."""
    path = tmp_path / name
    path.write_bytes(b"word " * (4 * MB))
    growth, chars, _encoding, segments = peak_growth(path)
    assert chars >= 20 * MB - 64 and segments >= 1  # a cut drops the space it falls on
    assert growth < 8 * chars, f"peak grew by {growth / MB:.0f} MB for {chars} characters"


def test_single_long_csv_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "field.csv"
    path.write_bytes(b"a,b\n1," + b"x" * (4 * MB) + b"\n")
    _refused_then_good(path, tmp_path, CorruptFile)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("tiny.txt", 2_000_000),
        ("tiny.md", 2_000_000),
        ("tiny.rst", 2_000_000),
        ("tiny.csv", 300_000),
        ("tiny.jsonl", 300_000),
    ],
)
def test_millions_of_tiny_lines(tmp_path: Path, name: str, count: int) -> None:
    """Lines of one character (the bench reads ten million). JSON Lines made a segment of
    each value: now they come fifty to a segment."""
    path = tmp_path / name
    path.write_bytes(b"1\n" * count)
    doc = load_document(path)
    assert sum(s.text.count("1") for s in doc.segments) >= count - 1
    assert len(doc.segments) < count / 40


def test_csv_with_a_million_columns(tmp_path: Path) -> None:
    """The header's names were rebuilt for every row: a million columns times a thousand
    rows. Now they are built once."""
    path = tmp_path / "wide.csv"
    columns = 1_000_000
    header = b",".join(b"c%d" % i for i in range(columns))
    path.write_bytes(header + b"\n" + b"v\n" * 1000)
    doc = load_document(path)
    assert doc.segments[0].text.startswith("c0: v\nc0: v")


# ---- names and text that turn themselves around --------------------------------------------


def test_bidi_override_in_a_name_is_spelled_out_in_the_sentence(tmp_path: Path) -> None:
    path = tmp_path / "invoice\u202egpj.exe"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedFile) as info:
        load_document(path)
    assert info.value.message.startswith("invoice<U+202E>gpj.exe is an empty file")
    assert "\u202e" not in str(info.value)
    assert info.value.path == str(path)  # the real name, to find the file by


def test_control_and_reordering_characters_leave_the_text(tmp_path: Path) -> None:
    path = tmp_path / "trojan.html"
    path.write_text(
        "<title>Re\u202eport\x07</title><p>access = \u2067\u2066admin\u2069\u2069 ok\x1b[31m</p>"
        "<p>\u05e9\u05dc\u05d5\u05dd\u200f mark kept</p>",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.title == "Report"
    text = "\n".join(s.text for s in doc.segments)
    assert "access = admin ok [31m" in text
    assert "\u05e9\u05dc\u05d5\u05dd\u200f mark kept" in text
    assert not any(ch in text for ch in "\u202e\u2066\u2067\u2069\x07\x1b")


# ---- amplification inside a package ---------------------------------------------------------


def test_epub_spine_repeating_one_chapter_reads_it_once(tmp_path: Path) -> None:
    path = tmp_path / "echo.epub"
    samples.epub(path, "Echo", ["<p>Only once.</p>"])
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["OEBPS/book.opf"] = parts["OEBPS/book.opf"].replace(
        b'<itemref idref="c0"/>', b'<itemref idref="c0"/>' * 5000
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert [s.text for s in load_document(path).segments] == ["Only once."]


def test_pptx_listing_one_slide_many_times_reads_it_once(tmp_path: Path) -> None:
    path = tmp_path / "echo.pptx"
    samples.pptx(path, {1: ["Once."]}, [1] * 3000)
    assert [s.text for s in load_document(path).segments] == ["Once."]


def test_odt_space_count_is_bounded(tmp_path: Path) -> None:
    """`<text:s text:c="N"/>` is N spaces: a billion would be a gigabyte of them."""
    path = tmp_path / "spaces.odt"
    samples.odt(path, '<text:p>a<text:s text:c="1000000000"/>b</text:p>')
    (segment,) = load_document(path).segments
    assert segment.text == "a" + " " * 1000 + "b"


def test_scanned_pdf_page_with_a_picture_claiming_ten_billion_pixels_is_refused(
    tmp_path: Path,
) -> None:
    """A page with no text is read from its picture: the size the picture claims is checked
    before it is decoded."""
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Filter /FlateDecode /Length 8 >>\nstream\n"
        + bytes(8)
        + b"\nendstream"
    )
    path = tmp_path / "scan-bomb.pdf"
    path.write_bytes(_pdf_with_stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q", image))
    error = _refused_then_good(path, tmp_path, FileTooLarge)
    assert "100,000 x 100,000 pixels" in error.message
