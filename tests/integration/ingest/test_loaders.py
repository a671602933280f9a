"""The file loaders on files the tests generate: formats, encodings and failures."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from desktop.core.chunking import chunk_document
from desktop.core.errors import (
    CorruptFile,
    EncryptedFile,
    FileTooLarge,
    FileUnreadable,
    NoTextLayer,
    UnsupportedFile,
)
from desktop.ingest.formats import is_supported
from desktop.ingest.loaders import full_text_of, load_document
from desktop.ingest.walk import FileReader, expand_paths

pytestmark = pytest.mark.integration


def pdf_with_text(pages: list[str]) -> bytes:
    """A minimal valid PDF whose pages show the given ASCII text in Helvetica."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_markdown_headings_and_code(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "# Guide\n\nIntro.\n\n## Install\n\nRun it:\n\n```sh\npip install hearth\n```\n\nDone.\n"
    )
    doc = load_document(path)
    kinds = [(s.heading_path, s.kind, s.text) for s in doc.segments]
    assert kinds == [
        (("Guide",), "text", "Intro."),
        (("Guide", "Install"), "text", "Run it:"),
        (("Guide", "Install"), "code", "pip install hearth"),
        (("Guide", "Install"), "text", "Done."),
    ]
    text = full_text_of(doc)
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in doc.segments)
    for chunk in chunk_document(doc, doc_id="g"):
        assert text[chunk.start : chunk.end] == chunk.text


def test_html_strips_scripts_and_keeps_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>T</title><script>var x = 1;</script></head><body><nav>menu</nav>"
        "<h1>Main</h1><p>First &amp; best.</p><h2>Sub</h2><p>Second.</p></body></html>"
    )
    doc = load_document(path)
    assert doc.title == "T"
    assert [(s.heading_path, s.text) for s in doc.segments] == [
        (("Main",), "First & best."),
        (("Main", "Sub"), "Second."),
    ]


def test_rst_sections(tmp_path: Path) -> None:
    path = tmp_path / "notes.rst"
    path.write_text("Title\n=====\n\nIntro text.\n\nPart\n----\n\nBody text.\n")
    doc = load_document(path)
    assert [(s.heading_path, s.text) for s in doc.segments] == [
        (("Title",), "Intro text."),
        (("Title", "Part"), "Body text."),
    ]


def test_pdf_pages(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_with_text(["Revenue grew by ten percent", "Costs fell sharply"]))
    doc = load_document(path)
    assert [(s.page, s.text) for s in doc.segments] == [
        (1, "Revenue grew by ten percent"),
        (2, "Costs fell sharply"),
    ]


def test_pdf_failures(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = pdf_with_text(["Secret numbers"])
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(good[: len(good) // 3])
    with pytest.raises(CorruptFile, match=r"cut\.pdf is damaged"):
        load_document(truncated)
    assert "EOF marker not found" in caplog.text  # pypdf's own diagnosis, logged
    scan = tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    with scan.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(NoTextLayer) as info:
        load_document(scan)
    assert "OCR" in info.value.hint
    locked = tmp_path / "locked.pdf"
    source = tmp_path / "source.pdf"
    source.write_bytes(good)
    writer = PdfWriter(clone_from=source)
    writer.encrypt("hunter2")
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(EncryptedFile, match="password-protected"):
        load_document(locked)


def test_docx_headings_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Plan", level=1)
    document.add_paragraph("We ship in May.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Item", "Cost"
    table.cell(1, 0).text, table.cell(1, 1).text = "Disk", "40"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    doc = load_document(path)
    assert [(s.heading_path, s.kind, s.text) for s in doc.segments] == [
        (("Plan",), "text", "We ship in May."),
        (("Plan",), "table", "Item | Cost\nDisk | 40"),
    ]


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (600 * 1024 * 1024))
    with pytest.raises(FileTooLarge, match="zip bomb"):
        load_document(path)


def test_odt_pptx_epub(tmp_path: Path) -> None:
    odt = tmp_path / "a.odt"
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr(
            "content.xml",
            "<office:document-content "
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            "<office:body><office:text>"
            '<text:h text:outline-level="1">Intro</text:h><text:p>Hello ODT.</text:p>'
            "</office:text></office:body></office:document-content>",
        )
    assert [(s.heading_path, s.text) for s in load_document(odt).segments] == [
        (("Intro",), "Hello ODT.")
    ]
    pptx = tmp_path / "b.pptx"
    ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    with zipfile.ZipFile(pptx, "w") as z:
        for n, text in ((1, "First slide"), (2, "Second slide")):
            z.writestr(
                f"ppt/slides/slide{n}.xml",
                f"<p:sld {ns} xmlns:p='p'><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>",
            )
    assert [(s.page, s.text) for s in load_document(pptx).segments] == [
        (1, "First slide"),
        (2, "Second slide"),
    ]
    epub = tmp_path / "c.epub"
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr(
            "META-INF/container.xml",
            '<container><rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>',
        )
        z.writestr(
            "OEBPS/book.opf",
            '<package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<metadata><dc:title>Book</dc:title></metadata><manifest>"
            '<item id="c1" href="c1.xhtml"/></manifest>'
            '<spine><itemref idref="c1"/></spine></package>',
        )
        z.writestr(
            "OEBPS/c1.xhtml", "<html><body><h1>Chapter</h1><p>Once upon a time.</p></body></html>"
        )
    book = load_document(epub)
    assert book.title == "Book"
    assert [(s.heading_path, s.text) for s in book.segments] == [
        (("Chapter",), "Once upon a time.")
    ]


def test_csv_and_json(tmp_path: Path) -> None:
    table = tmp_path / "people.csv"
    table.write_text("name;city\nAnna;Oslo\nBo;Rome\n")
    assert load_document(table).segments[0].text == "name: Anna; city: Oslo\nname: Bo; city: Rome"
    data = tmp_path / "cfg.json"
    data.write_text('{"a": [1, 2], "b": "Привет"}')
    assert "Привет" in load_document(data).segments[0].text
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    with pytest.raises(CorruptFile, match=r"broken\.json is not valid JSON"):
        load_document(broken)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("Привет, мир! Как дела?", "cp1251", "cp1251"),
        ("Привет, мир! Как дела?", "koi8-r", "koi8-r"),
        ("机器学习是人工智能的一个分支。", "gbk", "gbk"),
        ("機器學習是人工智慧的一個分支。", "big5", "big5"),
        ("日本語のテキストです。", "shift_jis", "shift_jis"),
        ("Hello UTF-16 ✓", "utf-16", "utf-16-le"),
        ("Hello", "utf-16-be", "utf-16-be"),
    ],
)
def test_encodings(tmp_path: Path, text: str, codec: str, expected: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(codec))
    doc = load_document(path)
    assert doc.segments[0].text == text
    assert doc.encoding == expected


def test_double_encoded_utf8_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "mojibake.txt"
    original = "Привет".encode().decode("cp1252").encode()
    path.write_bytes(original)
    doc = load_document(path)
    assert doc.segments[0].text == "Привет"
    assert "repaired" in doc.encoding


def test_invalid_utf8_is_kept_with_replacements(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"good text \xff\xfe\xfa more good text " * 3)
    doc = load_document(path)
    assert "good text" in doc.segments[0].text


def test_bad_inputs_give_specific_errors(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFile, match=r"photo\.txt is a binary file"):
        load_document(binary)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedFile, match="empty: nothing to index"):
        load_document(empty)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    with pytest.raises(FileTooLarge, match="too large"):
        load_document(big, max_bytes=1000)
    with pytest.raises(FileUnreadable, match="cannot be read"):
        load_document(tmp_path / "missing.txt")


def test_folders_skip_hidden_dependencies_and_loops(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "a.md").write_text("a")
    (root / "sub" / "b.py").write_text("b = 1")
    (root / "sub" / "image.png").write_bytes(b"\x89PNG")
    (root / ".git" / "config.txt").write_text("hidden")
    (root / "node_modules" / "pkg" / "index.js").write_text("x")
    (root / "sub" / "loop").symlink_to(root)
    (root / "name with\nnewline 😀.txt").write_text("odd name")
    found = list(expand_paths([root, root / "a.md"]))
    names = sorted(p.name for p in found if isinstance(p, Path))
    assert names == ["a.md", "b.py", "name with\nnewline 😀.txt"]


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions do not stop reads")
        with pytest.raises(FileUnreadable):
            load_document(path)
    finally:
        path.chmod(0o600)


def test_reader_names_unusable_paths(tmp_path: Path) -> None:
    (tmp_path / "song.mp3").write_bytes(b"ID3")
    files, errors = FileReader().expand([tmp_path / "song.mp3", tmp_path / "nope.txt"])
    assert files == []
    assert [type(e).__name__ for e in errors] == ["UnsupportedFile", "FileUnreadable"]
    assert is_supported(Path("x.PDF")) and not is_supported(Path("x.exe"))


def test_five_megabyte_single_line(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_text("word " * 1_000_000)
    doc = load_document(path)
    chunks = chunk_document(doc, doc_id="l", max_tokens=350, overlap_tokens=0)
    assert len(chunks) > 3000
    assert max(len(c.text) for c in chunks) < 2000
