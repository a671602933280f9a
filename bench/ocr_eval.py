"""OCR engines on rendered pages: character error rate and pages per second.

    python -m bench.ocr_eval [--pages 30] [--engines tesseract,rapidocr,hearth] [--langs en,ru,zh]

The evaluation set is generated, never hand-picked: for each language, pages of real text
(English and Chinese Wikipedia paragraphs from ../shared/data/xquad-*, Russian from the
window's own Russian translation) are drawn in several fonts and sizes, as plain pages,
two-column pages and tables, then degraded the way scans and phone photos are (a slight
rotation, blur, noise, JPEG artefacts), each page from its own seed. The character error
rate is the edit distance between the recognised and the true text, both without
whitespace (so it measures characters, not layout), over the true text's length; reading
order counts. Pages per second are wall-clock on this machine with the engine's default
threads. Output: bench/out/ocr_eval.json and a table on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from desktop.ingest.ocr import RapidOcrEngine, reader

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN = 90
FONTS = {
    "latin": [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ],
    "han": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ],
}
LAYOUTS = ("plain", "plain", "two_columns", "table")
_SPACE = re.compile(r"\s+|\|")


@dataclass(frozen=True)
class Page:
    lang: str
    layout: str
    image: Image.Image
    truth: str
    note: str


def _paragraphs(lang: str) -> list[str]:
    if lang in ("en", "zh"):
        corpus = DATA / f"xquad-{lang}" / "corpus.jsonl"
        return [json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines()]
    ts = (ROOT / "desktop" / "ui" / "i18n" / "hearth_ru.ts").read_text("utf-8")
    strings = re.findall(r"<translation[^>]*>([^<]+)</translation>", ts)
    clean = [
        re.sub(r"%n|%\d|\{[^}]*\}|&amp;|&[a-z]+;", "", s).replace("&", "").strip() for s in strings
    ]
    words = [s for s in clean if len(s) > 3]
    random.Random(7).shuffle(words)
    return [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]


def _font(lang: str, rng: random.Random) -> tuple[ImageFont.FreeTypeFont, str]:
    path = rng.choice(FONTS["han" if lang == "zh" else "latin"])
    size = rng.randint(22, 34)
    return ImageFont.truetype(path, size), f"{Path(path).stem} {size}px"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lang: str) -> list[str]:
    units = list(text) if lang == "zh" else text.split()
    joiner = "" if lang == "zh" else " "
    lines, line = [], ""
    for unit in units:
        candidate = f"{line}{joiner}{unit}" if line else unit
        if font.getlength(candidate) <= width:
            line = candidate
        else:
            if line:
                lines.append(line)
            line = unit
    if line:
        lines.append(line)
    return lines


def _text_block(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    x: int,
    y: int,
    bottom: int,
) -> tuple[list[str], int]:
    step = int(font.size * 1.5)
    drawn = []
    for line in lines:
        if y + step > bottom:
            break
        draw.text((x, y), line, font=font, fill=0)
        drawn.append(line)
        y += step
    return drawn, y


def _render(lang: str, layout: str, text: str, rng: random.Random) -> tuple[Image.Image, str, str]:
    image = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(image)
    font, note = _font(lang, rng)
    width = PAGE[0] - 2 * MARGIN
    bottom = PAGE[1] - MARGIN
    if layout == "plain":
        drawn, _ = _text_block(draw, _wrap(text, font, width, lang), font, MARGIN, MARGIN, bottom)
        return image, "\n".join(drawn), note
    if layout == "two_columns":
        gap = 60
        column = (width - gap) // 2
        lines = _wrap(text, font, column, lang)
        left, _ = _text_block(draw, lines, font, MARGIN, MARGIN, bottom)
        right, _ = _text_block(
            draw, lines[len(left) :], font, MARGIN + column + gap, MARGIN, bottom
        )
        return image, "\n".join(left + right), note
    # A table: a header row and rows of short cells in a ruled grid.
    units = list(text) if lang == "zh" else text.split()
    size = 4 if lang == "zh" else 2
    cells = [
        "".join(units[i : i + size]) if lang == "zh" else " ".join(units[i : i + size])
        for i in range(0, len(units), size)
    ]
    columns = 3
    cell_w = width // columns
    row_h = int(font.size * 2.2)
    rows = []
    y = MARGIN
    for start in range(0, len(cells) - columns + 1, columns):
        if y + row_h > bottom:
            break
        row = []
        for c in range(columns):
            cell = cells[start + c]
            while cell and font.getlength(cell) > cell_w - 20:
                cell = cell[:-1]
            draw.rectangle(
                (MARGIN + c * cell_w, y, MARGIN + (c + 1) * cell_w, y + row_h), outline=0
            )
            draw.text((MARGIN + c * cell_w + 10, y + int(font.size * 0.5)), cell, font=font, fill=0)
            row.append(cell)
        rows.append(" | ".join(row))
        y += row_h
    return image, "\n".join(rows), note


def _degrade(image: Image.Image, rng: random.Random) -> tuple[Image.Image, str]:
    angle = rng.uniform(-2.0, 2.0)
    blur = rng.choice((0.0, 0.5, 0.9))
    sigma = rng.choice((0, 6, 12))
    quality = rng.choice((40, 60, 85))
    out = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    if sigma:
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, sigma, out.size[::-1])
        out = Image.fromarray(
            np.clip(np.asarray(out, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
        )
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert(
        "L"
    ), f"rot {angle:+.1f}°, blur {blur}, noise {sigma}, jpeg {quality}"


def pages(lang: str, count: int, seed: int = 0) -> Iterator[Page]:
    paragraphs = _paragraphs(lang)
    for i in range(count):
        rng = random.Random(f"{lang}-{seed}-{i}")
        start = rng.randrange(len(paragraphs))
        text = " ".join(paragraphs[start : start + 6] or paragraphs[:6])
        layout = LAYOUTS[i % len(LAYOUTS)]
        image, truth, font_note = _render(lang, layout, text, rng)
        image, damage = _degrade(image, rng)
        yield Page(lang, layout, image, truth, f"{font_note}; {damage}")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one row at a time with numpy."""
    if not a or not b:
        return max(len(a), len(b))
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(b) + 1)
    row = steps.copy()
    for i, ch in enumerate(a, 1):
        cost = (bb != ord(ch)).astype(np.int64)
        best = np.empty_like(row)
        best[0] = i
        best[1:] = np.minimum(row[1:] + 1, row[:-1] + cost)
        row = np.minimum.accumulate(best - steps) + steps
    return int(row[-1])


def cer(recognised: str, truth: str) -> float:
    r, t = _SPACE.sub("", recognised), _SPACE.sub("", truth)
    return edit_distance(r, t) / max(1, len(t))


def _tesseract(lang: str) -> Callable[[Image.Image], str]:
    languages = {"en": "eng", "ru": "rus+eng", "zh": "chi_sim+eng"}[lang]

    def run(image: Image.Image) -> str:
        with tempfile.NamedTemporaryFile(suffix=".png") as file:
            image.save(file.name)
            done = subprocess.run(
                ["tesseract", file.name, "-", "-l", languages, "--psm", "3"],
                capture_output=True,
                text=True,
                check=True,
            )
        return done.stdout

    return run


def _rapidocr(lang: str) -> Callable[[Image.Image], str]:
    engine = RapidOcrEngine()
    return lambda image: engine.read(image).text


def _hearth(lang: str) -> Callable[[Image.Image], str]:
    """What Hearth does: RapidOCR first, Tesseract (Russian + English) unless Chinese."""
    engine = reader()
    return lambda image: engine.read(image).text


ENGINES: dict[str, Callable[[str], Callable[[Image.Image], str]]] = {
    "tesseract": _tesseract,
    "rapidocr": _rapidocr,
    "hearth": _hearth,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--engines", default="tesseract,rapidocr,hearth")
    parser.add_argument("--langs", default="en,ru,zh")
    parser.add_argument("--save-pages", type=Path, help="also write the rendered pages here")
    parser.add_argument("--out", type=Path, default=OUT / "ocr_eval.json")
    args = parser.parse_args()
    results = []
    for lang in args.langs.split(","):
        generated = list(pages(lang, args.pages))
        if args.save_pages:
            args.save_pages.mkdir(parents=True, exist_ok=True)
            for i, page in enumerate(generated):
                page.image.save(args.save_pages / f"{lang}-{i:02d}-{page.layout}.jpg")
        for name in args.engines.split(","):
            engine = ENGINES[name](lang)
            engine(generated[0].image)  # load the models before timing
            rates: dict[str, list[float]] = {}
            started = time.perf_counter()
            for page in generated:
                rates.setdefault(page.layout, []).append(cer(engine(page.image), page.truth))
            elapsed = time.perf_counter() - started
            every = [r for values in rates.values() for r in values]
            row = {
                "lang": lang,
                "engine": name,
                "pages": len(generated),
                "cer_mean": float(np.mean(every)),
                "cer_median": float(np.median(every)),
                "cer_by_layout": {k: float(np.mean(v)) for k, v in rates.items()},
                "pages_per_s": len(generated) / elapsed,
            }
            results.append(row)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=2), "utf-8")
            layouts = ", ".join(f"{k} {v:.3f}" for k, v in row["cer_by_layout"].items())
            print(
                f"{lang}  {name:10s} CER mean {row['cer_mean']:.3f} median {row['cer_median']:.3f}"
                f" ({layouts})  {row['pages_per_s']:.2f} pages/s",
                flush=True,
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), "utf-8")


if __name__ == "__main__":
    main()
