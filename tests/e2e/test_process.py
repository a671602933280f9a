"""The window as a real process: it opens, and a polite SIGTERM closes it cleanly."""

from __future__ import annotations

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
