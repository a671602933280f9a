"""The reader process: what reading a file there costs, and how fast its faults are handled.

    python -m bench.reader_process [--files 300] [--rounds 5]

1. Reading small Markdown files (2 KB) in the process against through the reader process
   (one reader kept for all of them): milliseconds per file, and the start of a reader.
2. Faults with real native crashes and runaway loaders (tests/fakes/faulty_reader.py):
   seconds from the request to the failed file for a segfault and for a memory blow-up
   (limit 300 MB), and from Cancel (`interrupt()` from another thread) to the failed read
   of a file that never finishes. Each of these kills the reader; the next file starts a
   new one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.core.errors import ReadingStopped
from desktop.ingest.isolation import ReadLimits
from desktop.ingest.loaders import load_document
from desktop.ingest.walk import FileReader
from tests.fakes.faulty_reader import COMMAND

OUT = Path(__file__).resolve().parent / "out"


def _load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 1)[0]
    except OSError:
        return "unknown"


def bench_reads(folder: Path, files: int, rounds: int) -> dict[str, float]:
    text = "# Note\n\n" + "The orchard behind the mill holds forty trees. " * 42
    paths = []
    for i in range(files):
        path = folder / f"note-{i:04}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    inside: list[float] = []
    outside: list[float] = []
    starts: list[float] = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for path in paths:
            load_document(path)
        inside.append((time.perf_counter() - t0) * 1000 / files)
        reader = FileReader()
        try:
            t0 = time.perf_counter()
            reader.load(paths[0])
            starts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for path in paths:
                reader.load(path)
            outside.append((time.perf_counter() - t0) * 1000 / files)
        finally:
            reader.close()
    figures = {
        "in_process_ms_per_file": statistics.median(inside),
        "reader_process_ms_per_file": statistics.median(outside),
        "reader_start_s": statistics.median(starts),
    }
    print(f"reading {files} Markdown files of 2 KB, median of {rounds} rounds")
    print(f"  in the process         {figures['in_process_ms_per_file']:6.2f} ms a file")
    print(f"  in the reader process  {figures['reader_process_ms_per_file']:6.2f} ms a file")
    print(f"  starting a reader      {figures['reader_start_s']:6.2f} s (first file included)")
    return figures


def _stopped_after(reader: FileReader, path: Path) -> float:
    t0 = time.perf_counter()
    try:
        reader.load(path)
    except ReadingStopped:
        return time.perf_counter() - t0
    raise AssertionError(f"{path.name} was read")


def _cancel_after(reader: FileReader, path: Path) -> float:
    """Seconds from interrupt() to the failed read of a file that never finishes."""
    marker = path.with_name(path.name + ".started")
    marker.unlink(missing_ok=True)
    cancelled: list[float] = []

    def read() -> None:
        try:
            reader.load(path)
        except ReadingStopped:
            cancelled.append(time.perf_counter())

    thread = threading.Thread(target=read)
    thread.start()
    while not marker.exists():
        time.sleep(0.01)
    t0 = time.perf_counter()
    reader.interrupt()
    thread.join()
    return cancelled[0] - t0


def bench_faults(folder: Path, rounds: int) -> dict[str, float]:
    for name in ("segfault.txt", "hungry.txt", "forever.txt", "good.txt"):
        (folder / name).write_text("A line.\n", encoding="utf-8")
    reader = FileReader(command=COMMAND)
    reader.limits = ReadLimits(seconds=120, megabytes=300)
    crash, memory, cancel = [], [], []
    try:
        for _ in range(rounds):
            reader.load(folder / "good.txt")  # a reader is running: its start is not timed
            crash.append(_stopped_after(reader, folder / "segfault.txt"))
            reader.load(folder / "good.txt")
            memory.append(_stopped_after(reader, folder / "hungry.txt"))
            reader.load(folder / "good.txt")
            cancel.append(_cancel_after(reader, folder / "forever.txt"))
    finally:
        reader.close()
    figures = {
        "segfault_s": statistics.median(crash),
        "memory_300mb_s": statistics.median(memory),
        "cancel_s": statistics.median(cancel),
        "cancel_max_s": max(cancel),
    }
    print(f"faults, median of {rounds} (a reader already running)")
    print(f"  segfault to failed file          {figures['segfault_s']:6.3f} s")
    print(
        f"  300 MB limit to failed file      {figures['memory_300mb_s']:6.3f} s (growing included)"
    )
    print(
        f"  Cancel to failed read            {figures['cancel_s']:6.3f} s "
        f"(max {figures['cancel_max_s']:.3f} s)"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load = _load_average()
    print(f"load average at the start: {load}")
    with tempfile.TemporaryDirectory() as tmp:
        reads = bench_reads(Path(tmp), args.files, args.rounds)
        faults = bench_faults(Path(tmp), args.rounds)
    OUT.mkdir(exist_ok=True)
    result = {"load_average": load, **reads, **faults}
    (OUT / "reader_process.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
