"""Files are read in a separate process: a loader that crashes, hangs or eats memory fails
its own file with the reason, the reader process is replaced, and the rest of the batch is
indexed. Real faults (tests/fakes/faulty_reader.py), real chromadb, the real pipeline."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.documents import DocumentStatus
from desktop.core.errors import ReadingStopped
from desktop.core.events import FileFailed, IngestSummary
from desktop.ingest.isolation import ReadLimits
from desktop.ingest.walk import FileReader
from tests.fakes.faulty_reader import COMMAND, ROOT
from tests.integration.services.support import Stack, make_stack, write_paragraphs

pytestmark = pytest.mark.integration


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie waiting to be reaped does not count)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


@pytest.fixture
def faulty(tmp_path: Path) -> Iterator[FileReader]:
    reader = FileReader(command=COMMAND, notes=tmp_path / "readers")
    yield reader
    reader.close()


def _stack(tmp_path: Path, reader: FileReader) -> Stack:
    stack = make_stack(tmp_path / "data")
    stack.ingest.reader = reader
    return stack


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memory is read from /proc")
async def test_crash_hang_and_runaway_memory_fail_only_their_files(
    tmp_path: Path, faulty: FileReader
) -> None:
    root = tmp_path / "docs"
    write_paragraphs(root / "before.txt", ["The lighthouse keeper logs the weather."])
    for name in ("segfault.txt", "forever.txt", "hungry.txt"):
        write_paragraphs(root / name, ["Never read."])
    write_paragraphs(root / "harbour.txt", ["The harbour master counts the boats."])
    faulty.limits = ReadLimits(seconds=2, megabytes=300)
    stack = _stack(tmp_path, faulty)

    summary = await stack.ingest.ingest([root], "kb", on_event=stack.record)

    failed = {Path(e.path).name: e.message for e in stack.of_type(FileFailed)}
    assert failed == {
        "segfault.txt": "segfault.txt could not be read: it made Hearth's reader crash (SIGSEGV).",
        "forever.txt": "forever.txt could not be read: reading it stopped after 2 s.",
        "hungry.txt": "hungry.txt could not be read: reading it used more than 300 MB of memory.",
    }
    assert {e.kind for e in stack.of_type(FileFailed)} == {"ReadingStopped"}
    assert (summary.ready, summary.failed) == (2, 3)
    statuses = {Path(d.path).name: d.status for d in stack.registry.documents("kb")}
    assert statuses["before.txt"] is statuses["harbour.txt"] is DocumentStatus.READY
    hits = await stack.retriever.search("harbour boats", "kb", k=1)
    assert Path(hits[0].chunk.source).name == "harbour.txt"


async def test_cancel_stops_a_file_that_never_finishes(tmp_path: Path, faulty: FileReader) -> None:
    forever = write_paragraphs(tmp_path / "docs" / "forever.txt", ["Never read."])
    stack = _stack(tmp_path, faulty)  # the default limit: two minutes
    task = asyncio.create_task(stack.ingest.ingest([forever], "kb", on_event=stack.record))
    await asyncio.to_thread(_wait_for, forever.with_name("forever.txt.started"), task)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 30)  # far less than the two-minute limit

    summary = stack.events[-1]
    assert isinstance(summary, IngestSummary) and summary.cancelled
    assert stack.registry.documents("kb") == []
    assert list((tmp_path / "readers").iterdir()) == []  # the reader was stopped


def _wait_for(marker: Path, task: asyncio.Task[IngestSummary]) -> None:
    while not marker.exists():
        assert not task.done(), "the ingestion ended before the file was being read"
        time.sleep(0.02)


_PARENT = """
import sys
from pathlib import Path
from desktop.ingest.walk import FileReader
from tests.fakes.faulty_reader import COMMAND
FileReader(command=COMMAND, notes=Path(sys.argv[1])).load(Path(sys.argv[2]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="start times come from /proc")
def test_a_reader_left_by_a_killed_hearth_is_stopped_at_the_next_start(tmp_path: Path) -> None:
    notes = tmp_path / "readers"
    stuck = write_paragraphs(tmp_path / "stuck.txt", ["Never read."])
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, str(notes), str(stuck)], cwd=ROOT)
    try:
        started = stuck.with_name("stuck.txt.started")
        while not started.exists():
            assert parent.poll() is None, "the stand-in for Hearth ended early"
            time.sleep(0.02)
        [note] = notes.iterdir()
        child = int(json.loads(note.read_text("utf-8"))["child"])
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert _alive(child)  # stuck in native code, it cannot notice its parent went away

    reader = FileReader(notes=notes)
    try:
        good = write_paragraphs(tmp_path / "good.txt", ["Read by a fresh reader."])
        assert reader.load(good).segments[0].text == "Read by a fresh reader."
        assert not _alive(child)
        assert [n.name.split("-")[0] for n in notes.iterdir()] == [str(os.getpid())]
    finally:
        reader.close()
    assert list(notes.iterdir()) == []


def test_closing_stops_a_file_being_read(tmp_path: Path, faulty: FileReader) -> None:
    """Quitting while a file would never finish ends the reader at once."""
    forever = write_paragraphs(tmp_path / "forever.txt", ["Never read."])
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            faulty.load(forever)
        except ReadingStopped as exc:
            outcome.append(exc)

    reading = threading.Thread(target=read)
    reading.start()
    try:
        while not forever.with_name("forever.txt.started").exists():
            assert reading.is_alive(), "the read ended before the file was being read"
            time.sleep(0.02)
        faulty.close()
    finally:
        reading.join(30)  # far less than the two-minute limit
    assert [str(e) for e in outcome] == ["Reading forever.txt was cancelled."]
    assert list((tmp_path / "readers").iterdir()) == []


# A piece every millisecond: never the 50 ms of silence a reader's health used to be
# checked in, and few objects, so the answers' thread sets off no full garbage collection
# (after the window's tests, one could free a leftover Qt object there, which Qt reports).
_ENDLESS = """
import sys, time
from desktop.ingest.framing import read_frame, write_frame
out = sys.stdout.buffer
write_frame(out, {"ready": True})
read_frame(sys.stdin.buffer)
while True:
    write_frame(out, {"segment": ["more", None, [], 0, "text", False, []]})
    time.sleep(0.001)
"""


def test_the_time_limit_holds_while_a_document_is_still_arriving(tmp_path: Path) -> None:
    """A reader that never stops sending pieces is stopped by the clock all the same."""
    reader = FileReader(command=[sys.executable, "-c", _ENDLESS])
    reader.limits = ReadLimits(seconds=1, megabytes=2048)
    path = write_paragraphs(tmp_path / "endless.txt", ["Never read."])
    try:
        with pytest.raises(ReadingStopped, match="reading it stopped after 1 s"):
            reader.load(path)
    finally:
        reader.close()
