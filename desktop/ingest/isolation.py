"""Reading files in a separate process that Hearth watches and replaces when it fails.

`IsolatedLoader` starts the reader process (`desktop.ingest.reader_child`) on first use and
sends it one file at a time. While it waits, it watches the process: when the process dies
(a parser's native code crashed), goes past the time limit, uses more memory than the limit
(its resident size, read from /proc on Linux), or the read is interrupted (Cancel), the
file fails with a `ReadingStopped` sentence, the process is killed, and the next file gets
a fresh one. Nothing else is lost: the store and the window live in other processes.

Each running reader is noted in a folder (its pid and start time, with its parent's): a
reader left behind by a killed Hearth (stuck in native code, so it missed that its parent
went away) is stopped the next time a reader starts on that data folder.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from desktop.core import errors
from desktop.core.documents import LoadedDocument, TextSegment
from desktop.core.errors import IngestError, ReadingStopped
from desktop.core.ports import PageProgress
from desktop.ingest.framing import (
    document_from_json,
    read_frame,
    segment_from_json,
    write_frame,
)

log = logging.getLogger(__name__)

# The word that makes the bundled `hearth` program act as the reader process.
READER_FLAG = "--reader-process"
_loaders = itertools.count(1)  # names the notes of several loaders in one process
_START_TIMEOUT = 60.0  # seconds for a new reader to import its libraries
_POLL = 0.05
_NOTHING: dict[str, Any] = {}  # no answer came while waiting
_ERRORS: dict[str, type[IngestError]] = {
    cls.__name__: cls
    for cls in (
        IngestError,
        errors.UnsupportedFile,
        errors.CorruptFile,
        errors.EncryptedFile,
        errors.NoTextLayer,
        errors.FileTooLarge,
        errors.FileUnreadable,
        ReadingStopped,
    )
}


def reader_command() -> list[str]:
    """The command that starts a reader process for this installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, READER_FLAG]
    return [sys.executable, "-m", "desktop.ingest.reader_child"]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How long one file may take to read and how much memory its reader may use."""

    seconds: float = 120.0
    megabytes: int = 2048


def _size(megabytes: int) -> str:
    return f"{megabytes / 1024:g} GB" if megabytes >= 1024 else f"{megabytes} MB"


def _resident_bytes(pid: int) -> int | None:
    """The process's resident memory, where the system tells (Linux), else None."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot, Linux), or None when it is gone or
    the system does not tell: with the pid it names one process, whatever reuses the pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19].decode() if len(fields) > 19 else None


def _stop_if_same(pid: int, started: str | None) -> bool:
    """Kill the process `pid` if it is still the one that started at `started`."""
    if started is None or start_time(pid) != started:
        return False
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        return True
    return False


def note_child(folder: Path, name: str, pid: int, started: str | None) -> None:
    """Note in `folder` (as `name`) that this process runs the child `pid`, so that
    `stop_leftovers` can stop it once this process is gone."""
    note = {
        "parent": os.getpid(),
        "parent_started": start_time(os.getpid()),
        "child": pid,
        "child_started": started,
    }
    # Written whole or not at all: another Hearth may be reading the folder.
    partial = folder / (name + ".part")
    partial.write_text(json.dumps(note), "utf-8")
    os.replace(partial, folder / name)


def stop_leftovers(folder: Path, what: str = "reader") -> None:
    """Stop the child processes (readers, or what `what` says) whose Hearth is gone
    (noted in `folder` by `note_child`)."""
    for note in sorted(folder.glob("*.json")):
        try:
            data = json.loads(note.read_text("utf-8"))
            parent, child = int(data["parent"]), int(data["child"])
        except (OSError, ValueError, KeyError, TypeError):
            note.unlink(missing_ok=True)
            continue
        if start_time(parent) == data.get("parent_started"):
            continue  # that Hearth (perhaps this one) still runs: the reader is its own
        if _stop_if_same(child, data.get("child_started")):
            log.info("stopped %s process %d left behind by process %d", what, child, parent)
        note.unlink(missing_ok=True)


class _Child:
    """A running reader process and the thread that collects its answers."""

    def __init__(self, command: Sequence[str]) -> None:
        self.proc = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.started = start_time(self.proc.pid)
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.pump = threading.Thread(
            target=self._collect, args=(self.proc.stdout,), name="reader-answers", daemon=True
        )
        self.pump.start()

    def _collect(self, stream: IO[bytes]) -> None:
        try:
            while (message := read_frame(stream)) is not None:
                self.answers.put(message)
        except (OSError, ValueError):
            pass  # a damaged answer ends the conversation like a dead process does
        finally:
            self.answers.put(None)

    def rss(self) -> int | None:
        return _resident_bytes(self.proc.pid)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self._finish()

    def close(self, timeout: float) -> None:
        """Ask the process to end (its stdin closes); kill it after `timeout` seconds."""
        with contextlib.suppress(OSError):
            self.stdin.close()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._finish()

    def _finish(self) -> None:
        self.proc.wait()
        with contextlib.suppress(OSError):
            self.stdin.close()
        self.pump.join()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class IsolatedLoader:
    """Loads files in a reader process; one file at a time, from any thread.

    Args:
        command: starts the reader process (default: `reader_command()`).
        notes: folder where running readers are noted, so that one left behind by a killed
            Hearth is stopped at the next start; None: not noted.
    """

    def __init__(self, command: Sequence[str] | None = None, notes: Path | None = None) -> None:
        self.limits = ReadLimits()
        self._command = list(command) if command is not None else reader_command()
        self._notes = notes
        self._note_name = f"{os.getpid()}-{next(_loaders)}.json"
        self._swept = False
        self._child: _Child | None = None
        self._one_at_a_time = threading.Lock()
        self._state = threading.Lock()
        self._busy = False
        self._interrupted = threading.Event()

    def load(
        self,
        path: Path,
        max_bytes: int,
        *,
        ocr: bool = True,
        on_page: PageProgress | None = None,
    ) -> LoadedDocument:
        """Read one file in the reader process (pictures of pages by OCR when `ocr`;
        `on_page(page, pages)` before each page OCR reads, and what it raises stops the
        reading). Raises the reader's IngestError, or ReadingStopped when the reader
        crashed, ran out of time or memory, or was interrupted; any other failure of the
        reader comes back as a RuntimeError."""
        with self._one_at_a_time:
            with self._state:
                self._busy = True
                self._interrupted.clear()
            try:
                return self._load(path, max_bytes, ocr, on_page)
            finally:
                with self._state:
                    self._busy = False

    def interrupt(self) -> None:
        """Stop the file being read now, if any (it fails as cancelled); from any thread."""
        with self._state:
            if self._busy:
                self._interrupted.set()

    def close(self) -> None:
        """End the reader process; a file being read in another thread is stopped first."""
        self.interrupt()
        with self._one_at_a_time:
            if self._child is not None:
                self._child.close(timeout=5.0)
                self._forget()

    def _load(
        self, path: Path, max_bytes: int, ocr: bool, on_page: PageProgress | None
    ) -> LoadedDocument:
        request = {"path": str(path), "max_bytes": max_bytes, "ocr": ocr}
        child = self._child if self._child is not None else self._start(path)
        try:
            write_frame(child.stdin, request)
        except OSError:
            # The reader ended between two files: start another one and ask again.
            self._stop()
            child = self._start(path)
            write_frame(child.stdin, request)
        deadline = time.monotonic() + self.limits.seconds
        segments: list[TextSegment] = []
        while True:
            answer = self._wait(child, path, deadline)
            if "segment" in answer:
                segments.append(segment_from_json(answer["segment"]))
            elif "page" in answer:
                if on_page is not None:
                    try:
                        on_page(*answer["page"])
                    except BaseException:
                        self._stop()  # the run stops here: the reader's page is dropped
                        raise
            else:
                break
        if "document" in answer:
            return document_from_json(answer["document"], segments)
        if "error" in answer:
            error = answer["error"]
            kind = _ERRORS.get(str(error.get("kind")), IngestError)
            raise kind(str(error["message"]), str(error["hint"]), path=str(error["path"]))
        raise RuntimeError(f"the reader process failed:\n{answer.get('failure', answer)}")

    def _start(self, path: Path) -> _Child:
        if not self._swept and self._notes is not None:
            self._notes.mkdir(mode=0o700, parents=True, exist_ok=True)
            stop_leftovers(self._notes)
            self._swept = True
        try:
            child = _Child(self._command)
        except OSError as exc:
            raise ReadingStopped(
                f"{path.name} could not be read: Hearth's reader process did not start "
                f"({exc.strerror or exc}).",
                "Check that Hearth is installed completely, then add the file again.",
                path=str(path),
            ) from exc
        self._child = child
        self._note(child)
        deadline = time.monotonic() + _START_TIMEOUT
        ready = self._wait(child, path, deadline, starting=True)
        if not ready.get("ready"):
            self._stop()
            raise RuntimeError(f"the reader process began with {ready!r}")
        return child

    def _wait(
        self, child: _Child, path: Path, deadline: float, *, starting: bool = False
    ) -> dict[str, Any]:
        """The reader's next answer, watching its health, the clock and its memory."""
        limit = self.limits.megabytes * 1024 * 1024
        while True:
            try:
                answer = child.answers.get(timeout=_POLL)
            except queue.Empty:
                answer = _NOTHING
            if answer is None:
                raise self._crashed(path, starting)
            # Checked between the pieces of a big document too, not only while waiting.
            if self._interrupted.is_set():
                self._stop()
                raise ReadingStopped(f"Reading {path.name} was cancelled.", "", path=str(path))
            if time.monotonic() > deadline:
                self._stop()
                if starting:
                    raise ReadingStopped(
                        f"{path.name} could not be read: Hearth's reader process did not "
                        f"start within {_START_TIMEOUT:g} s.",
                        "The computer may be very busy; add the file again later.",
                        path=str(path),
                    )
                raise ReadingStopped(
                    f"{path.name} could not be read: reading it stopped after "
                    f"{self.limits.seconds:g} s.",
                    'The file may be damaged or very large; "Time limit per file" in '
                    "Settings allows more.",
                    path=str(path),
                )
            if answer is not _NOTHING:
                return answer
            rss = child.rss()
            if rss is not None and rss > limit:
                self._stop()
                raise ReadingStopped(
                    f"{path.name} could not be read: reading it used more than "
                    f"{_size(self.limits.megabytes)} of memory.",
                    'The file may be damaged or very large; "Memory limit per file" in '
                    "Settings allows more.",
                    path=str(path),
                )

    def _crashed(self, path: Path, starting: bool) -> ReadingStopped:
        assert self._child is not None
        code = self._child.proc.wait()
        self._stop()
        how = f"exit status {code}"
        if code < 0:
            with contextlib.suppress(ValueError):
                how = signal.Signals(-code).name
        log.info("the reader process ended (%s) while reading %s", how, path)
        if starting:
            return ReadingStopped(
                f"{path.name} could not be read: Hearth's reader process ended as it "
                f"started ({how}).",
                "Check that Hearth is installed completely, then add the file again.",
                path=str(path),
            )
        return ReadingStopped(
            f"{path.name} could not be read: it made Hearth's reader crash ({how}).",
            "The file may be damaged; saving it again from its application often helps. "
            "The other files were read.",
            path=str(path),
        )

    def _stop(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._forget()

    def _note(self, child: _Child) -> None:
        if self._notes is not None:
            note_child(self._notes, self._note_name, child.proc.pid, child.started)

    def _forget(self) -> None:
        self._child = None
        if self._notes is not None:
            (self._notes / self._note_name).unlink(missing_ok=True)
