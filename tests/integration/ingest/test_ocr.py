"""Scans, photos and mixed PDFs, rendered here and read by the real OCR engines."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter

from desktop.core.blocking import Stopped
from desktop.core.errors import FileTooLarge, NoTextLayer
from desktop.ingest.loaders import load_document
from tests.integration.conftest import run_hearth
from tests.integration.ingest import samples

pytestmark = pytest.mark.integration

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HAN = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
ENGLISH = ["The quarterly report lists the harbour fees.", "Invoice 4471 was paid in March."]
RUSSIAN = ["Договор аренды склада подписан в марте.", "Сумма оплаты составляет сто тысяч."]
CHINESE = ["叶绿体有自己的脱氧核糖核酸。", "会议在北京举行，共有三十人参加。"]


def page(lines: list[str], font: str = LATIN, *, width: int = 1240) -> Image.Image:
    """A white page at 150 dpi with the lines drawn on it, as a scanner would give it."""
    image = Image.new("L", (width, 200 + 60 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(font, 34)
    for number, line in enumerate(lines):
        draw.text((80, 80 + number * 60), line, font=face, fill=0)
    return image


def flat(text: str) -> str:
    return "".join(text.split())


def test_scanned_pdf_goes_in_and_is_found_through_the_command_line(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page(ENGLISH).save(docs / "scan.pdf")
    page(RUSSIAN).save(docs / "договор.png")
    ingested = run_hearth(["ingest", str(docs)], cli_env, timeout=300)
    assert ingested.returncode == 0, ingested.stderr
    assert "2 indexed, 0 unchanged, 0 failed" in ingested.stderr
    hits = json.loads(run_hearth(["search", "harbour fees", "--json"], cli_env).stdout)
    assert hits[0]["source"] == str(docs / "scan.pdf") and hits[0]["page"] == 1
    assert "harbour fees" in hits[0]["text"]
    # Read by OCR, with the place of each line read on the page.
    assert hits[0]["ocr"] is True and len(hits[0]["regions"]) == len(ENGLISH)
    assert all(0 <= left < right <= 1 for left, _, right, _ in hits[0]["regions"])
    plain = run_hearth(["search", "harbour fees", "-k", "1"], cli_env).stdout
    assert plain.startswith(f"1. {docs / 'scan.pdf'}, page 1, OCR  score ")
    ru = json.loads(run_hearth(["search", "аренда склада", "--json", "-k", "1"], cli_env).stdout)
    assert ru[0]["source"].endswith("договор.png")
    assert "Договор аренды склада" in ru[0]["text"]


def test_phone_photo_is_turned_upright_by_its_exif_orientation(tmp_path: Path) -> None:
    # The camera stored the page turned a quarter left and says so in EXIF (6: turn it a
    # quarter right to view).
    photo = page(CHINESE, HAN).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "photo.jpg"
    photo.save(path, quality=80, exif=exif.tobytes())
    document = load_document(path)
    assert document.mime == "image/jpeg"
    assert flat(document.segments[0].text) == flat("".join(CHINESE))


def test_mixed_pdf_has_only_its_scanned_page_read_by_ocr(tmp_path: Path) -> None:
    writer = PdfWriter()
    for page_ in PdfReader(
        io.BytesIO(samples.pdf_bytes(["A text layer page about tariffs"]))
    ).pages:
        writer.add_page(page_)
    scanned = io.BytesIO()
    page(ENGLISH).save(scanned, "PDF")
    writer.append(PdfReader(scanned))
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    document = load_document(path)
    assert [s.page for s in document.segments] == [1, 2]
    assert document.segments[0].text == "A text layer page about tariffs"
    assert flat(document.segments[1].text) == flat("".join(ENGLISH))


def test_every_page_of_a_tiff_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pages.tiff"
    first, second = page(ENGLISH[:1]), page(RUSSIAN[:1])
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw")
    told: list[tuple[int, int]] = []
    document = load_document(path, on_page=lambda n, of: told.append((n, of)))
    assert [(s.page, s.text) for s in document.segments] == [(1, ENGLISH[0]), (2, RUSSIAN[0])]
    assert told == [(1, 2), (2, 2)]
    assert document.notes.ocr_pages == (1, 2)


def test_a_blurred_scan_is_marked_as_read_with_low_confidence(tmp_path: Path) -> None:
    image = Image.new("L", (1000, 220), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(LATIN, 34)
    draw.text((60, 40), ENGLISH[0], font=face, fill=0)
    draw.text((60, 110), ENGLISH[1], font=face, fill=0)
    # Blurred until the words come out wrong ("Tre querterty report ..."), not yet blank.
    image.filter(ImageFilter.GaussianBlur(3.8)).save(tmp_path / "blurred.png")
    document = load_document(tmp_path / "blurred.png")
    assert document.notes.ocr_pages == (1,)
    assert document.notes.uncertain_pages == (1,)


def test_reading_stops_between_the_pages_of_a_tiff(tmp_path: Path) -> None:
    path = tmp_path / "pages.tiff"
    first, second = page(ENGLISH[:1]), page(RUSSIAN[:1])
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw")
    told: list[int] = []

    def on_page(number: int, pages: int) -> None:
        told.append(number)
        if number == 2:
            raise Stopped

    with pytest.raises(Stopped):
        load_document(path, on_page=on_page)
    assert told == [1, 2]


def test_with_ocr_switched_off_scans_and_pictures_say_they_need_it(tmp_path: Path) -> None:
    page(ENGLISH).save(tmp_path / "scan.pdf")
    page(ENGLISH).save(tmp_path / "photo.png")
    with pytest.raises(NoTextLayer) as scan:
        load_document(tmp_path / "scan.pdf", ocr=False)
    assert scan.value.message == (
        "scan.pdf has no text layer (it looks like a scan) and needs OCR, which is switched"
        " off in Settings."
    )
    with pytest.raises(NoTextLayer) as photo:
        load_document(tmp_path / "photo.png", ocr=False)
    assert photo.value.message == (
        "photo.png is a picture and needs OCR, which is switched off in Settings."
    )


def test_the_ocr_setting_reaches_the_command_line_ingest(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    page(ENGLISH).save(tmp_path / "scan.pdf")
    assert run_hearth(["config", "set", "reading.ocr", "false"], cli_env).returncode == 0
    refused = run_hearth(["ingest", str(tmp_path / "scan.pdf")], cli_env)
    assert refused.returncode == 1
    assert "needs OCR, which is switched off in Settings" in refused.stderr


def test_a_picture_claiming_ten_billion_pixels_is_refused_before_decoding(tmp_path: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100_001 * 64))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(FileTooLarge, match=r"bomb\.png is a picture of more than 100 megapixels"):
        load_document(bomb)
    big = tmp_path / "big.png"
    Image.new("1", (12_000, 9_000), 1).save(big)  # 108 megapixels, under Pillow's own limit
    with pytest.raises(FileTooLarge, match=r"big\.png is a picture of more than 100 megapixels"):
        load_document(big)


def test_a_scanned_pdf_page_claiming_a_billion_pixels_is_refused_before_decoding(
    tmp_path: Path,
) -> None:
    source = io.BytesIO()
    Image.new("L", (12_345, 1_000), 255).save(source, "PDF")
    # The same picture, now claiming 99,999 x 9,999 pixels (same byte length, so the file
    # stays well formed).
    data = source.getvalue().replace(b"/Width 12345", b"/Width 99999")
    data = data.replace(b"/Height 1000", b"/Height 9999")
    path = tmp_path / "claims.pdf"
    path.write_bytes(data)
    with pytest.raises(FileTooLarge, match=r"99,999 x 9,999 pixels, more than 100 megapixels"):
        load_document(path)
