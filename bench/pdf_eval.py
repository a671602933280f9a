"""PDF text extraction on generated PDFs: reading order, running lines, tables, speed.

    QT_QPA_PLATFORM=offscreen python -m bench.pdf_eval [--docs 8]

For each language (English, Russian, Chinese) and layout (plain pages, two columns, a
table over a page break) it draws PDFs with Qt (`bench.pdf_samples`, real fonts, a running
header and page numbers on every page) and reads them with each candidate: pypdf's
`extract_text`, pdfplumber's `extract_text`, and Hearth's reader (PDFium character boxes
put in reading order by `desktop.ingest.layout`). Reported: the character error rate of
the body text in reading order (whitespace and `|` ignored), the share of pages where
the running header or page number is left in (a one-page document's header cannot be
told from a title), the share of table rows read back as one line with every cell, and
pages per second.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from PySide6.QtGui import QGuiApplication

from bench.ocr_eval import ROOT, _paragraphs, cer
from bench.pdf_samples import Sample, plain, table, two_columns
from desktop.ingest.pdf_text import add_pages, layout_pages
from desktop.ingest.segments import SegmentBuilder

OUT = ROOT / "bench" / "out"
HEADERS = {"en": "Annual report 2025", "ru": "Годовой отчёт 2025", "zh": "二〇二五年度报告"}


def _pypdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _hearth(path: Path) -> list[str]:
    pages = layout_pages(path) or []
    out = SegmentBuilder()
    add_pages(pages, out)
    texts = [""] * len(pages)
    for segment in out.segments:
        page = segment.page or 1
        texts[page - 1] = f"{texts[page - 1]}\n{segment.text}".strip("\n")
    return texts


READERS: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": _pypdf,
    "pdfplumber": _pdfplumber,
    "hearth": _hearth,
}


def _samples(folder: Path, lang: str, count: int) -> list[tuple[str, Sample]]:
    paragraphs = _paragraphs(lang)
    made = []
    for i in range(count):
        rng = random.Random(f"pdf-{lang}-{i}")
        start = rng.randrange(len(paragraphs))
        text = paragraphs[start : start + 8] or paragraphs[:8]
        header = HEADERS[lang]
        path = folder / f"{lang}-{i}"
        layout = ("plain", "two_columns", "table")[i % 3]
        if layout == "plain":
            made.append((layout, plain(path.with_suffix(".plain.pdf"), lang, text, header)))
        elif layout == "two_columns":
            made.append((layout, two_columns(path.with_suffix(".cols.pdf"), lang, text, header)))
        else:
            units = "".join(text).split() if lang != "zh" else list("".join(text))
            step = 2 if lang != "zh" else 4
            cells = [
                ("" if lang == "zh" else " ").join(units[j : j + step]) for j in range(0, 240, step)
            ]
            rows = [cells[j : j + 3] for j in range(0, len(cells) - 2, 3)]
            made.append(
                (layout, table(path.with_suffix(".table.pdf"), lang, rows, header, text[0][:80]))
            )
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=9, help="PDFs per language (3 layouts)")
    args = parser.parse_args()
    QGuiApplication([])
    results = []
    with TemporaryDirectory() as tmp:
        for lang in ("en", "ru", "zh"):
            samples = _samples(Path(tmp), lang, args.docs)
            for name, read in READERS.items():
                rates: dict[str, list[float]] = {}
                running = rows_found = rows_total = pages = 0
                started = time.perf_counter()
                extracted = [read(sample.path) for _, sample in samples]
                elapsed = time.perf_counter() - started
                for (layout, sample), texts in zip(samples, extracted, strict=True):
                    pages += len(sample.pages)
                    rates.setdefault(layout, []).append(
                        cer("\n".join(texts), "\n".join(sample.pages))
                    )
                    number = re.compile(r"^\s*\d+\s*$", re.MULTILINE)
                    running += sum(
                        1 for text in texts if sample.header in text or number.search(text)
                    )
                    lines = {
                        re.sub(r"\s+", " ", line).strip() for t in texts for line in t.splitlines()
                    }
                    for row in sample.table_rows:
                        rows_total += 1
                        whole = " | ".join(re.sub(r"\s+", " ", cell).strip() for cell in row)
                        rows_found += whole in lines
                row = {
                    "lang": lang,
                    "reader": name,
                    "pages": pages,
                    "cer": {k: sum(v) / len(v) for k, v in rates.items()},
                    "running_lines_left": running / pages,
                    "table_rows_whole": rows_found / max(1, rows_total),
                    "pages_per_s": pages / elapsed,
                }
                results.append(row)
                cers = ", ".join(f"{k} {v:.3f}" for k, v in row["cer"].items())
                print(
                    f"{lang} {name:10s} CER ({cers}); running lines left on "
                    f"{row['running_lines_left']:.0%} of pages; table rows whole "
                    f"{row['table_rows_whole']:.0%}; {row['pages_per_s']:.0f} pages/s",
                    flush=True,
                )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "pdf_eval.json").write_text(json.dumps(results, indent=2), "utf-8")


if __name__ == "__main__":
    main()
