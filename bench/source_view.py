"""The source view's blocking work: finding a cited passage and rendering its page.

    QT_QPA_PLATFORM=offscreen python -m bench.source_view [--pages 20]

Draws PDFs with Qt (`bench.pdf_samples`: plain pages, two columns, a table over a page
break; English, Russian and Chinese text from the evaluation sets), cuts them into
passages as indexing does, and times `DocumentSources.locate` for every passage (PDFium
character boxes in reading order, the passage found among them) and `render` of each page
at 900 and 1800 pixels across (the view's usual width and twice that on a high-density
screen). Also times locating passages in a long Markdown file (read again each time, as
the view does). Reported: median, 95th percentile and maximum, in milliseconds, and
whether every passage was found.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from PySide6.QtGui import QGuiApplication

from bench.ocr_eval import ROOT, _paragraphs
from bench.pdf_samples import plain, table, two_columns
from desktop.core.chunking import chunk_document
from desktop.core.conversations import StoredCitation
from desktop.ingest.loaders import load_document
from desktop.ingest.sources import DocumentSources

OUT = ROOT / "bench" / "out"


def _times(fn: Callable[[], object], runs: int = 1) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def _pdfs(folder: Path, pages: int) -> list[Path]:
    made = []
    for lang in ("en", "ru", "zh"):
        text = _paragraphs(lang)[: pages * 4]
        made.append(plain(folder / f"plain-{lang}.pdf", lang, text, "Report").path)
        made.append(two_columns(folder / f"cols-{lang}.pdf", lang, text, "Report").path)
    rows = [["Product", "Region", "Revenue"]] + [
        [f"Item {i}", ["North", "South", "East"][i % 3], f"{1000 + i * 37} USD"] for i in range(60)
    ]
    made.append(table(folder / "table.pdf", "en", rows, "Sales", "Revenue by item.").path)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=20, help="about how many pages a PDF")
    args = parser.parse_args()
    app = QGuiApplication.instance() or QGuiApplication([])
    sources = DocumentSources()
    report: dict[str, object] = {}
    with TemporaryDirectory() as tmp:
        folder = Path(tmp)
        locate, missed, render_900, render_1800, pages = [], 0, [], [], 0
        for path in _pdfs(folder, args.pages):
            chunks = chunk_document(load_document(path), doc_id="d")
            for chunk in chunks:
                citation = StoredCitation.of(1, chunk)
                start = time.perf_counter()
                found = sources.locate(citation)
                locate.append((time.perf_counter() - start) * 1000)
                missed += not found.found
            numbers = sorted({c.page or 1 for c in chunks})
            pages += len(numbers)
            for number in numbers:
                render_900 += _times(lambda p=path, n=number: sources.render(str(p), n, 900))
                render_1800 += _times(lambda p=path, n=number: sources.render(str(p), n, 1800))
        report["pdf_locate"] = {**_summary(locate), "not_found": missed}
        report["pdf_render_900px"] = _summary(render_900)
        report["pdf_render_1800px"] = _summary(render_1800)
        report["pdf_pages"] = pages

        note = folder / "long.md"
        note.write_text(
            "\n\n".join(f"## Part {i}\n\n" + p for i, p in enumerate(_paragraphs("en") * 4)),
            encoding="utf-8",
        )
        chunks = chunk_document(load_document(note), doc_id="n")
        sample = chunks[:: max(1, len(chunks) // 40)]
        text_times = [
            t for c in sample for t in _times(lambda c=c: sources.locate(StoredCitation.of(1, c)))
        ]
        report["text_locate"] = {
            **_summary(text_times),
            "file_mb": round(note.stat().st_size / 2**20, 2),
        }
    del app
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "source_view.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
