"""Big text files are read in blocks: peak memory stays near the size of the text itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SIZE = 40 * 1024 * 1024
PARAGRAPH = "Отчёт за квартал: выручка выросла, расходы упали. Revenue grew, costs fell.\n\n"

MEASURE = """
import resource, sys
from pathlib import Path
from desktop.ingest.loaders import load_document
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
doc = load_document(Path(sys.argv[1]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, doc.char_count, doc.encoding, len(doc.segments))
"""


def peak_growth(path: Path) -> tuple[int, int, str, int]:
    """Run the loader in a fresh interpreter; return (peak growth in bytes, characters,
    encoding, segments)."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    growth, chars, encoding, segments = result.stdout.split()
    return int(growth), int(chars), encoding, int(segments)


@pytest.mark.parametrize("codec", ["utf-8", "cp1251"])
def test_big_text_file_memory_is_bounded(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"big-{codec}.txt"
    block = (PARAGRAPH * 1000).encode(codec)
    with path.open("wb") as handle:
        for _ in range(SIZE // len(block)):
            handle.write(block)
    growth, chars, encoding, segments = peak_growth(path)
    assert encoding == codec
    assert chars > SIZE // 2 and segments > 20
    # The text itself takes two bytes a character (Cyrillic); reading all of it as bytes
    # and then as text, or scanning it character by character, took ten times more.
    assert growth < 4 * chars, f"peak grew by {growth / 2**20:.0f} MB for {chars} characters"


THROUGH_READER = """
import resource, sys
from pathlib import Path
from desktop.ingest.walk import FileReader
reader = FileReader()
reader.load(Path(sys.argv[2]))  # the reader process runs: its start is not measured
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
doc = reader.load(Path(sys.argv[1]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
reader.close()
print((after - before) * 1024, doc.char_count, len(doc.segments))
"""


def test_a_big_file_read_in_the_reader_process_arrives_in_pieces(tmp_path: Path) -> None:
    """The document comes over a segment at a time: Hearth's process holds the text once,
    never also the whole of it as message bytes."""
    path = tmp_path / "big.txt"
    block = ("Revenue grew, costs fell, the orchard gave forty crates.\n" * 20_000).encode()
    with path.open("wb") as handle:
        for _ in range(SIZE // len(block)):
            handle.write(block)
    small = tmp_path / "small.txt"
    small.write_text("A small file.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", THROUGH_READER, str(path), str(small)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    growth, chars, segments = (int(word) for word in result.stdout.split())
    assert chars > SIZE // 2 and segments > 20
    # ASCII text takes a byte a character; sent as one message it took three.
    assert growth < 1.6 * chars, f"peak grew by {growth / 2**20:.0f} MB for {chars} characters"
