"""Where to mark an OCR page as read with low confidence: the engines' mean confidence
against the character error rate, on generated pages.

    python -m bench.ocr_confidence [--pages 8] [--langs en,ru,zh]

The pages are those of `bench.ocr_eval` (real text, several fonts, layouts and scan
damage), each blurred further by one step of a ladder (none, 1.5, 2.5, 3.5 pixels) so
that some come out badly. Every page is read the way Hearth reads it (`ocr.reader()`);
a page is "bad" when its character error rate is above 10 % (a reader would notice).
Pages where nothing was recognised add no text and are never marked, so they are left
out of the table. For each threshold the table gives how many pages it marks, how many
of the bad pages it marks (recall) and how many of the marked pages are bad (precision).
Output: bench/out/ocr_confidence.json and the table on stdout.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from PIL import ImageFilter

from bench.ocr_eval import OUT, cer, pages
from desktop.ingest.ocr import reader

LADDER = (0.0, 1.5, 2.5, 3.5)
BAD = 0.10
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--langs", default="en,ru,zh")
    parser.add_argument("--out", type=Path, default=OUT / "ocr_confidence.json")
    args = parser.parse_args()
    engine = reader()
    rows = []
    for lang in args.langs.split(","):
        for i, page in enumerate(pages(lang, args.pages, seed=1)):
            blur = LADDER[i % len(LADDER)]
            image = page.image.filter(ImageFilter.GaussianBlur(blur)) if blur else page.image
            started = time.perf_counter()
            read = engine.read(image)
            rows.append(
                {
                    "lang": lang,
                    "layout": page.layout,
                    "blur": blur,
                    "engine": read.engine,
                    "lines": len(read.lines),
                    "confidence": read.confidence,
                    "cer": cer(read.text, page.truth),
                    "seconds": time.perf_counter() - started,
                }
            )
            last = rows[-1]
            print(
                f"{lang} {page.layout:12s} blur {blur:3.1f} {last['engine']:9s} "
                f"confidence {last['confidence']:.3f}  CER {last['cer']:.3f}",
                flush=True,
            )
    read = [r for r in rows if r["lines"]]
    bad = [r for r in read if r["cer"] > BAD]
    table = []
    for threshold in THRESHOLDS:
        marked = [r for r in read if r["confidence"] < threshold]
        hits = [r for r in marked if r["cer"] > BAD]
        table.append(
            {
                "threshold": threshold,
                "marked": len(marked),
                "recall": len(hits) / len(bad) if bad else 1.0,
                "precision": len(hits) / len(marked) if marked else 1.0,
            }
        )
        print(
            f"below {threshold:.2f}: {len(marked):2d} of {len(read)} pages marked, "
            f"{len(hits)} of {len(bad)} bad ones (CER > {BAD:.0%})",
            flush=True,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"pages": rows, "thresholds": table}, indent=2), "utf-8")


if __name__ == "__main__":
    main()
