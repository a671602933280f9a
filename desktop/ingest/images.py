"""Pictures of pages (PNG, JPEG, TIFF with every page, WebP), read by OCR.

Phone photos are turned upright by their EXIF orientation first. A picture is refused
before it is decoded when it claims more pixels than any page needs (a decompression
bomb is a few kilobytes that claim 100,000 x 100,000 pixels).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from desktop.core.documents import TextRegion
from desktop.core.errors import CorruptFile, FileTooLarge, NoTextLayer
from desktop.ingest.ocr import OcrPage, reader
from desktop.ingest.segments import SegmentBuilder

MIME = {  # by suffix; the content decides whether it is a picture at all
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
}
# 100 megapixels: a page scanned at 600 dpi is about 35, the largest phone photos 50-200
# at full sensor resolution are rare in documents.
MAX_PIXELS = 100_000_000


def no_ocr(path: Path, what: str) -> NoTextLayer:
    return NoTextLayer(
        f"{path.name} {what}, and no OCR engine is installed to read it.",
        "Install Tesseract (tesseract-ocr with the -rus and -chi-sim languages) or "
        "RapidOCR, or add a version of the document with a text layer.",
        path=str(path),
    )


def ocr_off(path: Path, what: str) -> NoTextLayer:
    return NoTextLayer(
        f"{path.name} {what} and needs OCR, which is switched off in Settings.",
        "Turn on reading scans and pictures (OCR) in Settings, or add a version of the "
        "document with a text layer.",
        path=str(path),
    )


def _too_large(path: Path, size: str) -> FileTooLarge:
    return FileTooLarge(
        f"{path.name} is a picture of {size}more than {MAX_PIXELS // 1_000_000} megapixels.",
        "Scale it down or scan the page at a lower resolution (300 dpi is plenty).",
        path=str(path),
    )


def check_pixels(path: Path, size: tuple[int, int]) -> None:
    """Refuse a picture that claims more than MAX_PIXELS, before it is decoded."""
    width, height = size
    if width * height > MAX_PIXELS:
        raise _too_large(path, f"{width:,} x {height:,} pixels, ")


def recognise(image: Any) -> OcrPage:
    """What OCR reads on one upright page image."""
    return reader().read(image.convert("L"))


def regions_of(page: OcrPage, size: tuple[int, int]) -> tuple[TextRegion, ...]:
    """Each line read, with its place as fractions of a picture of `size` pixels."""
    width, height = max(1, size[0]), max(1, size[1])
    return tuple(
        TextRegion(
            line.text,
            (
                round(max(0.0, line.box[0] / width), 4),
                round(max(0.0, line.box[1] / height), 4),
                round(min(1.0, line.box[2] / width), 4),
                round(min(1.0, line.box[3] / height), 4),
            ),
        )
        for line in page.lines
    )


def add_recognised(out: SegmentBuilder, page: OcrPage, number: int, size: tuple[int, int]) -> None:
    """Add the text OCR read on page `number` with its lines' places, noting the page (and
    a low confidence)."""
    if page.text.strip():
        out.add(page.text, page=number, ocr=True, regions=regions_of(page, size))
        out.recognised(number, uncertain=page.uncertain)


def read_image(path: Path, out: SegmentBuilder) -> None:
    """Every frame of the picture, as a page, read by OCR."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    if not out.ocr:
        raise ocr_off(path, "is a picture")
    if not reader().available:
        raise no_ocr(path, "is a picture")
    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it, and refuses beyond: both
            # mean "too many pixels" here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(path)
        with opened as image:
            check_pixels(path, image.size)
            pages = int(getattr(image, "n_frames", 1))
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                out.recognising(number, pages)
                check_pixels(path, frame.size)
                upright = ImageOps.exif_transpose(frame)
                add_recognised(out, recognise(upright), number, upright.size)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses pictures far beyond its own limit while reading the header.
        raise _too_large(path, "") from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise CorruptFile(
            f"{path.name} is damaged or not a picture Hearth can read ({type(exc).__name__}).",
            "Open it in an image viewer and save it again as PNG or JPEG.",
            path=str(path),
        ) from None
