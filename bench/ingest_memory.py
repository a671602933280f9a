"""Resident memory of `hearth ingest` over time while it indexes many small files.

Generates N small text files (60-160 words each, sentences drawn from SciFact abstracts
with a fixed seed, 100 files a folder), runs `hearth ingest` on them in a fresh data
folder, and samples the resident size (VmRSS) of the whole process tree every half
second: the main process and the reader process it starts. The files done at each moment
come from the progress lines `hearth ingest` prints. Prints, for each tenth of the files,
the largest resident size seen while that tenth was indexed, so growth with the number of
files shows; a run longer than `--limit` seconds is stopped (SIGTERM: a benchmark started in
the background has SIGINT ignored) and reported up to where it got.

    python -m bench.ingest_memory [--files 2000] [--limit 1200]

Output: bench/out/ingest_memory-<files>.json (every sample).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.beir import load
from bench.proctree import TreeSampler, load_average, mb, processor

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
_PROGRESS = re.compile(r"\] (\d+)/(\d+) files")


def write_files(count: int, folder: Path, seed: int = 7) -> None:
    sentences = [
        s.strip() + "."
        for text in load("scifact").corpus.values()
        for s in text.split(". ")
        if len(s.split()) > 5
    ]
    rng = random.Random(seed)
    for index in range(count):
        words = 0
        picked: list[str] = []
        target = rng.randint(60, 160)
        while words < target:
            sentence = rng.choice(sentences)
            picked.append(sentence)
            words += len(sentence.split())
        sub = folder / f"{index // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note-{index:05d}.txt").write_text(" ".join(picked) + "\n", encoding="utf-8")


def folder_mb(path: Path) -> float:
    return mb(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()))


def run(count: int, limit: float, work: Path) -> dict[str, object]:
    corpus = work / "notes"
    write_files(count, corpus)
    data = work / "data"
    env = {k: v for k, v in os.environ.items() if k != "HEARTH_DATA_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "desktop", "--data-dir", str(data), "ingest", str(corpus)]
    loads = [load_average()]
    started = time.monotonic()
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(proc.pid, interval=0.5).start()
    progress: list[tuple[float, int]] = []  # (seconds, files done)
    tail: list[str] = []

    def read_progress() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            tail.append(line)
            del tail[:-20]
            match = _PROGRESS.search(line)
            if match:
                progress.append((time.monotonic() - started, int(match.group(1))))

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    interrupted = False
    while proc.poll() is None:
        time.sleep(1.0)
        if len(loads) < (time.monotonic() - started) / 60 + 1:
            loads.append(load_average())
        if time.monotonic() - started > limit and not interrupted:
            proc.send_signal(signal.SIGTERM)
            interrupted = True
    reader.join()
    sampler.stop()
    wall = time.monotonic() - started
    if proc.returncode != 0 and not interrupted:
        raise RuntimeError(f"hearth ingest failed ({proc.returncode}):\n{''.join(tail)}")
    done = progress[-1][1] if progress else 0
    tenths = []
    for tenth in range(1, 11):
        low, high = (tenth - 1) * count / 10, tenth * count / 10
        times = [t for t, files in progress if low < files <= high]
        if not times:
            continue
        window = [s.total for s in sampler.samples if min(times) - 1 <= s.seconds <= max(times)]
        tenths.append({"files": int(high), "peak_rss_mb": round(mb(max(window, default=0)), 1)})
    return {
        "files": count,
        "done": done,
        "interrupted": interrupted,
        "seconds": wall,
        "files_per_second": done / wall,
        "load_averages": loads,
        "peak_rss_mb": mb(sampler.peak()),
        "peak_rss_main_mb": mb(sampler.peak("main")),
        "peak_rss_reader_mb": mb(sampler.peak("reader")),
        "by_tenth": tenths,
        "store_mb": {
            "chroma": folder_mb(data / "chroma") if (data / "chroma").exists() else 0.0,
            "all": folder_mb(data),
        },
        "samples": sampler.series(step=2.0),
        "progress": progress,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, nargs="+", default=[2000])
    parser.add_argument("--limit", type=float, default=1200.0, help="seconds per run")
    args = parser.parse_args()
    machine = processor()
    print(f"{machine}; load average {load_average():.2f}", flush=True)
    OUT.mkdir(exist_ok=True)
    for count in args.files:
        with tempfile.TemporaryDirectory(prefix="hearth-ingest-memory-") as tmp:
            result = run(count, args.limit, Path(tmp))
        result["processor"] = machine
        (OUT / f"ingest_memory-{count}.json").write_text(json.dumps(result, indent=2))
        low, high = min(result["load_averages"]), max(result["load_averages"])  # type: ignore[type-var]
        cut = ", interrupted" if result["interrupted"] else ""
        print(
            f"{count} files: {result['done']} done in {result['seconds']:.0f} s "
            f"({result['files_per_second']:.1f} files/s{cut}), peak RSS "
            f"{result['peak_rss_mb']:.0f} MB (main {result['peak_rss_main_mb']:.0f}, reader "
            f"{result['peak_rss_reader_mb']:.0f}), store {result['store_mb']['all']:.0f} MB; "
            f"load average {low:.1f}-{high:.1f}",
            flush=True,
        )
        for row in result["by_tenth"]:  # type: ignore[attr-defined]
            print(f"    up to {row['files']:>6} files: peak {row['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
