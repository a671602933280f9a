"""Where a PDF page's scan is drawn: pictures placed by their transform on generated pages."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from desktop.ingest.pdf_text import Placement, scan_placements

pytestmark = pytest.mark.unit


def pdf_with(path: Path, pictures: list[tuple[tuple[int, int], pypdfium2.PdfMatrix]]) -> Path:
    """A 600 x 800 point page with blank pictures of these sizes drawn by these matrices."""
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(600, 800)
    for size, matrix in pictures:
        picture = pypdfium2.PdfImage.new(document)
        picture.set_bitmap(pypdfium2.PdfBitmap.from_pil(Image.new("L", size, 255)))
        picture.set_matrix(matrix)
        page.insert_obj(picture)
    page.gen_content()
    document.save(path)
    document.close()
    return path


def test_a_scan_filling_its_page_keeps_its_boxes() -> None:
    full = Placement((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))
    assert full.box((0.1, 0.2, 0.5, 0.25)) == (0.1, 0.2, 0.5, 0.25)


def test_the_scan_of_its_size_is_placed_with_its_margins_and_scale(tmp_path: Path) -> None:
    path = pdf_with(
        tmp_path / "a.pdf",
        [
            # A logo larger on the page than the scan, but not of the scan's size.
            ((50, 50), pypdfium2.PdfMatrix().scale(500, 500).translate(50, 0)),
            ((400, 200), pypdfium2.PdfMatrix().scale(300, 150).translate(150, 600)),
        ],
    )
    [(number, placement)] = scan_placements(path, {1: (400, 200)}).items()
    assert number == 1
    # The scan covers x 150-450 and, from the top, 800 - 750 = 50 to 200 points.
    assert placement.box((0, 0, 1, 1)) == (0.25, 0.0625, 0.75, 0.25)
    assert placement.box((0.5, 0.5, 1, 1)) == pytest.approx((0.5, 0.15625, 0.75, 0.25), abs=1e-4)


def test_a_scan_turned_a_quarter_has_its_lines_turned_on_the_page(tmp_path: Path) -> None:
    # Drawn turned a quarter to the left: the scan's top edge runs up the page's left side.
    turned = pypdfium2.PdfMatrix().scale(800, 600).rotate(90, ccw=True).translate(600, 0)
    path = pdf_with(tmp_path / "t.pdf", [((800, 600), turned)])
    placement = scan_placements(path, {1: (800, 600)})[1]
    # A line across the scan's top tenth stands along the page's left tenth, bottom to top.
    left, top, right, bottom = placement.box((0.0, 0.0, 1.0, 0.1))
    assert (left, right) == pytest.approx((0.0, 0.1), abs=1e-3)
    assert (top, bottom) == pytest.approx((0.0, 1.0), abs=1e-3)


def test_pages_without_pictures_or_out_of_range_are_left_out(tmp_path: Path) -> None:
    path = pdf_with(tmp_path / "blank.pdf", [])
    assert scan_placements(path, {1: (10, 10), 5: (10, 10)}) == {}
    assert scan_placements(tmp_path / "missing.pdf", {1: (10, 10)}) == {}
