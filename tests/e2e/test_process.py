"""The window as a real process: it opens, and a polite SIGTERM closes it cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def wait_for_log(log: Path, text: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(encoding="utf-8", errors="replace"):
            return
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode} before: {text}")
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} in {log} after {timeout}s")


def open_and_terminate(command: list[str], data: Path) -> int:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HEARTH_DATA_DIR": str(data),
        "OLLAMA_HOST": "127.0.0.1:9",
    }
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_log(data / "logs" / "hearth.log", "window shown", proc)
        wait_for_log(data / "logs" / "hearth.log", "services opened", proc)
        proc.send_signal(signal.SIGTERM)
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_window_process_opens_and_exits_cleanly(tmp_path: Path) -> None:
    assert open_and_terminate([sys.executable, "-m", "desktop"], tmp_path / "data") == 0
    assert (tmp_path / "data" / "window.json").is_file()  # the window saved its state


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process states from /proc")
def test_quitting_the_window_ends_its_reader_process(tmp_path: Path) -> None:
    data = tmp_path / "data"
    note = tmp_path / "note.txt"
    note.write_text("The orchard behind the mill holds forty trees.\n", encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HEARTH_DATA_DIR": str(data),
        "OLLAMA_HOST": "127.0.0.1:9",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", str(note)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        readers = data / "readers"
        deadline = time.monotonic() + 60
        while not (readers.is_dir() and any(readers.glob("*.json"))):
            assert time.monotonic() < deadline, "no reader process was started"
            assert proc.poll() is None, f"the window exited with {proc.returncode}"
            time.sleep(0.1)
        [noted] = readers.glob("*.json")
        child = int(json.loads(noted.read_text("utf-8"))["child"])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not _running(child)
    assert list(readers.iterdir()) == []


def _running(pid: int) -> bool:
    """True while the process runs (a zombie waiting for its parent's parent does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False
