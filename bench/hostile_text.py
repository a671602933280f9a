"""Pathological text at full size: what the test suite reads at a tenth of it.

    python -m bench.hostile_text [--scale 1.0]

Each file is generated, then read by `load_document` in a fresh interpreter that reports
its time and how far its peak memory grew. Figures go to bench/out/hostile_text.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
MB = 2**20

MEASURE = """
import resource, sys, time
from pathlib import Path
from desktop.core.errors import IngestError
from desktop.ingest.loaders import load_document
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    doc = load_document(Path(sys.argv[1]))
    outcome = f"read: {len(doc.segments)} segments, {doc.char_count} characters"
except IngestError as exc:
    outcome = f"refused: {exc.message[:120]}"
seconds = time.perf_counter() - started
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
print(f"{seconds:.2f}\\t{growth}\\t{outcome}")
"""


def _repeat(piece: bytes, size: int) -> Callable[[BinaryIO], None]:
    def write(handle: BinaryIO) -> None:
        block = piece * max(1, min(MB, size) // len(piece))
        for _ in range(max(1, size // len(block))):
            handle.write(block)

    return write


def _wide_csv(columns: int) -> Callable[[BinaryIO], None]:
    def write(handle: BinaryIO) -> None:
        handle.write(b",".join(b"c%d" % i for i in range(columns)) + b"\n")
        handle.write(b",".join(b"%d" % i for i in range(columns)) + b"\n")
        handle.write(b"v\n" * 10_000)

    return write


def cases(scale: float) -> dict[str, Callable[[BinaryIO], None]]:
    size = int(200 * MB * scale)
    return {
        "one-line.txt": _repeat(b"word ", size - 1),
        "one-line.md": _repeat(b"word ", size - 1),
        "one-line.html": _repeat(b"word ", size - 1),
        "heading-of-spaces.md": lambda h: (h.write(b"# x"), _repeat(b" ", size // 2)(h)),
        "tiny-lines.txt": _repeat(b"1\n", size // 4),
        "tiny-lines.md": _repeat(b"1\n", size // 4),
        "tiny-lines.csv": _repeat(b"1\n", size // 10),
        "tiny-lines.jsonl": _repeat(b"1\n", size // 20),
        "million-columns.csv": _wide_csv(int(1_000_000 * scale)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 200 MB files")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, write in cases(args.scale).items():
            path = Path(folder) / name
            with path.open("wb") as handle:
                write(handle)
            started = time.perf_counter()
            run = subprocess.run(
                [sys.executable, "-c", MEASURE, str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            if run.returncode:
                seconds, growth, outcome = time.perf_counter() - started, 0, run.stderr[-300:]
            else:
                first, second, outcome = run.stdout.strip().split("\t", 2)
                seconds, growth = float(first), int(second)
            size = path.stat().st_size
            results.append(
                {
                    "file": name,
                    "mb": round(size / MB, 1),
                    "seconds": round(seconds, 1),
                    "peak_growth_mb": round(growth / MB),
                    "outcome": outcome,
                }
            )
            print(f"{name:22} {size / MB:6.1f} MB {seconds:6.1f} s {growth / MB:5.0f} MB {outcome}")
            path.unlink()
    OUT.mkdir(exist_ok=True)
    (OUT / "hostile_text.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
