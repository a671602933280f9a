"""Finding cited passages in real files for the source view: PDF pages drawn here (the
highlight must cover exactly the passage's text), a scanned page read by the real OCR
engines, text files that changed since they were indexed, and rendering."""

from __future__ import annotations

import asyncio
from pathlib import Path

import docx
import pypdfium2
import pytest
from PIL import Image

from bench.pdf_samples import table, two_columns
from desktop.core.chunking import chunk_document
from desktop.core.conversations import StoredCitation
from desktop.core.documents import Box
from desktop.core.errors import FileUnreadable
from desktop.core.sources import PageLocation, SourceService, TextLocation
from desktop.ingest.loaders import load_document
from desktop.ingest.sources import DocumentSources
from tests.integration.ingest.test_ocr import ENGLISH, page

pytestmark = pytest.mark.integration

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india")
PARAGRAPHS = [
    " ".join(f"{WORDS[(i + j) % 9]}{i * 60 + j}" for j in range(60)) + "." for i in range(12)
]
ROWS = [["Product", "Region", "Revenue"]] + [
    [f"Item {i}", ["North", "South", "East"][i % 3], f"{1000 + i * 37} USD"] for i in range(45)
]


def loose(text: str) -> str:
    return "".join(text.replace("|", " ").split())


def text_under(path: Path, number: int, boxes: tuple[Box, ...]) -> str:
    """The page's text inside the boxes, read back by PDFium, box by box."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        pdf_page = document[number - 1]
        width, height = pdf_page.get_size()
        textpage = pdf_page.get_textpage()
        # A hair inside each box: a box touching the next line must not read it.
        parts = [
            textpage.get_text_bounded(
                left * width + 0.5,
                (1 - bottom) * height + 0.5,
                right * width - 0.5,
                (1 - top) * height - 0.5,
            )
            for left, top, right, bottom in boxes
        ]
        textpage.close()
        pdf_page.close()
        return "".join(parts)
    finally:
        document.close()


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("kind", ["columns", "table"])
def test_each_pdf_passage_is_highlighted_on_its_page_and_nothing_else(
    tmp_path: Path, kind: str
) -> None:
    if kind == "columns":
        sample = two_columns(tmp_path / "cols.pdf", "en", PARAGRAPHS, "Quarterly review")
    else:
        sample = table(tmp_path / "sales.pdf", "en", ROWS, "Sales 2025", "Revenue by item.")
    chunks = chunk_document(load_document(sample.path), doc_id="d", max_tokens=120)
    assert len({c.page for c in chunks}) >= 2
    sources = DocumentSources()
    for chunk in chunks:
        found = sources.locate(StoredCitation.of(1, chunk))
        assert isinstance(found, PageLocation)
        assert (found.page, found.page_count, found.ocr) == (chunk.page, len(sample.pages), False)
        assert found.boxes and all(
            0 <= a < c <= 1 and 0 <= b < d <= 1 for a, b, c, d in found.boxes
        )
        # Read back from under the highlight, the page says exactly the passage.
        assert loose(text_under(sample.path, found.page, found.boxes)) == loose(chunk.text)


@pytest.mark.usefixtures("qapp")
def test_a_pdf_edited_since_indexing_still_shows_what_it_shares_with_the_passage(
    tmp_path: Path,
) -> None:
    sample = two_columns(tmp_path / "cols.pdf", "en", PARAGRAPHS, "Quarterly review")
    chunk = chunk_document(load_document(sample.path), doc_id="d", max_tokens=120)[0]
    old = chunk.text.replace("echo13 ", "echo13 zulu ", 1)  # the file once had a word more
    found = DocumentSources().locate(StoredCitation(1, str(sample.path), chunk.page, old))
    assert isinstance(found, PageLocation) and found.boxes
    assert loose(text_under(sample.path, 1, found.boxes)) == loose(chunk.text)


def test_a_scanned_page_is_highlighted_where_ocr_read_the_passage(tmp_path: Path) -> None:
    scan = page(ENGLISH)
    scan.save(tmp_path / "scan.pdf")
    [chunk] = chunk_document(load_document(tmp_path / "scan.pdf"), doc_id="s")
    assert chunk.ocr is True and len(chunk.regions) == len(ENGLISH)
    found = DocumentSources().locate(StoredCitation.of(1, chunk))
    assert isinstance(found, PageLocation) and found.ocr and found.boxes == chunk.regions
    # The test drew line n at (80, 80 + 60 n) with 34-pixel letters: each box is there.
    width, height = scan.size
    for n, (left, top, right, bottom) in enumerate(sorted(found.boxes, key=lambda b: b[1])):
        assert left * width == pytest.approx(80, abs=12)
        assert top * height <= 80 + 60 * n + 12 and bottom * height >= 80 + 60 * n + 24
        assert right * width > 600


def test_a_scan_set_in_margins_and_scaled_is_highlighted_where_its_lines_are_printed(
    tmp_path: Path,
) -> None:
    # The scan is drawn 360 points wide, 120 points from the left edge of an A4 page and
    # 400 from its foot, as a scanning program that keeps margins lays it out.
    scan = page(ENGLISH)
    document = pypdfium2.PdfDocument.new()
    pdf_page = document.new_page(595, 842)
    picture = pypdfium2.PdfImage.new(document)
    picture.set_bitmap(pypdfium2.PdfBitmap.from_pil(scan))
    wide = 360
    high = wide * scan.height / scan.width
    picture.set_matrix(pypdfium2.PdfMatrix().scale(wide, high).translate(120, 400))
    pdf_page.insert_obj(picture)
    pdf_page.gen_content()
    document.save(tmp_path / "placed.pdf")
    document.close()

    [chunk] = chunk_document(load_document(tmp_path / "placed.pdf"), doc_id="p")
    assert chunk.ocr is True and len(chunk.regions) == len(ENGLISH)
    found = DocumentSources().locate(StoredCitation.of(1, chunk))
    assert isinstance(found, PageLocation) and found.boxes == chunk.regions
    # Line n was drawn at (80, 80 + 60 n) of the scan in 34-pixel letters: on the page
    # that is 120 + 80 s points from the left and 842 - 400 - high + (80 + 60 n) s from
    # the top, s being the scan's scale (points a pixel).
    s = wide / scan.width
    top_of_scan = 842 - 400 - high
    for n, (left, top, right, bottom) in enumerate(sorted(found.boxes, key=lambda b: b[1])):
        assert left * 595 == pytest.approx(120 + 80 * s, abs=12 * s)
        assert top * 842 <= top_of_scan + (80 + 60 * n + 12) * s
        assert bottom * 842 >= top_of_scan + (80 + 60 * n + 24) * s
        assert right * 595 <= 120 + wide

    # On the page as the source view renders it, the ink is under the highlight: some in
    # each box, none outside them.
    rendered = DocumentSources().render(str(tmp_path / "placed.pdf"), 1, 1190)
    size = (rendered.width, rendered.height)
    image = Image.frombuffer(
        "RGBA", size, rendered.pixels, "raw", "RGBA", rendered.stride, 1
    ).convert("L")
    ink = image.point(lambda value: 255 if value < 128 else 0)
    for left, top, right, bottom in found.boxes:
        area = (left * image.width, top * image.height, right * image.width, bottom * image.height)
        assert ink.crop(tuple(round(v) for v in area)).getextrema()[1] == 255
        ink.paste(0, tuple(round(v) for v in area))  # this line's ink accounted for
    assert ink.getextrema()[1] == 0, "ink outside the highlighted lines"


def test_a_text_file_passage_is_found_by_its_offsets_and_again_after_an_edit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.md"
    body = "\n\n".join(f"Paragraph {n}: the pump runs at {n} litres a minute." for n in range(80))
    path.write_text("# Pumps\n\n" + body, encoding="utf-8")
    chunks = chunk_document(load_document(path), doc_id="n", max_tokens=60)
    chunk = chunks[len(chunks) // 2]
    sources = DocumentSources()
    found = sources.locate(StoredCitation.of(1, chunk))
    assert isinstance(found, TextLocation)
    assert (found.start, found.end) == (chunk.start, chunk.end)
    assert found.text[found.start : found.end] == chunk.text
    path.write_text("# Pumps\n\nA paragraph written later.\n\n" + body, encoding="utf-8")
    moved = sources.locate(StoredCitation.of(1, chunk))
    assert isinstance(moved, TextLocation) and moved.start > chunk.start
    assert moved.text[moved.start : moved.end] == chunk.text


def test_a_missing_file_is_named_with_its_folder(tmp_path: Path) -> None:
    gone = StoredCitation(1, str(tmp_path / "gone.pdf"), 1, "text")
    with pytest.raises(FileUnreadable, match=r"gone\.pdf is no longer at"):
        DocumentSources().locate(gone)


@pytest.mark.usefixtures("qapp")
def test_pages_render_off_the_loop_at_the_width_asked_with_ink_under_the_highlight(
    tmp_path: Path,
) -> None:
    sample = two_columns(tmp_path / "cols.pdf", "en", PARAGRAPHS, "Quarterly review")
    chunk = chunk_document(load_document(sample.path), doc_id="d", max_tokens=120)[0]
    service = SourceService(DocumentSources())

    async def show() -> tuple[PageLocation, Image.Image]:
        found = await service.locate(StoredCitation.of(1, chunk))
        assert isinstance(found, PageLocation)
        rendered = await service.render(str(sample.path), found.page, 600)
        size = (rendered.width, rendered.height)
        return found, Image.frombuffer(
            "RGBA", size, rendered.pixels, "raw", "RGBA", rendered.stride, 1
        )

    found, image = asyncio.run(show())
    assert image.width in (600, 601) and image.height == pytest.approx(600 * 842 / 595, abs=2)
    left, top, right, bottom = found.boxes[0]
    under = image.crop(
        (left * image.width, top * image.height, right * image.width, bottom * image.height)
    )
    assert under.convert("L").getextrema()[0] < 100  # letters there
    assert image.getpixel((3, 3)) == (255, 255, 255, 255)  # an opaque white margin


def test_word_and_html_passages_are_found_in_the_text_hearth_reads(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_heading("Lease", level=1)
    for n in range(30):
        word.add_paragraph(f"Clause {n}: the tenant keeps the yard number {n} swept and clear.")
    word.save(str(tmp_path / "lease.docx"))
    rows = "".join(f"<p>Rule {n}: gates close at {n % 12 + 1} o'clock.</p>" for n in range(30))
    (tmp_path / "rules.html").write_text(f"<html><body><h1>Rules</h1>{rows}</body></html>")
    sources = DocumentSources()
    for name in ("lease.docx", "rules.html"):
        chunks = chunk_document(load_document(tmp_path / name), doc_id="x", max_tokens=60)
        assert len(chunks) > 2
        for chunk in chunks:
            found = sources.locate(StoredCitation.of(1, chunk))
            assert isinstance(found, TextLocation)
            assert found.text[found.start : found.end] == chunk.text
