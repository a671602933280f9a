"""Helpers for running the `hearth` command in-process and as a real subprocess."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def restore_root_logging() -> Iterator[None]:
    """`hearth` sets up file logging on the root logger; undo it after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A clean environment for the command: its own data dir, no key, no proxies."""
    for name in ("OLLAMA_HOST", "OLLAMA_URL", "OLLAMA_API_KEY", "HEARTH_CLOUD_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEARTH_DATA_DIR", str(tmp_path / "data"))
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["HEARTH_DATA_DIR"] = str(tmp_path / "data")
    return env


def start_hearth(
    args: list[str],
    env: Mapping[str, str],
    *,
    stdout: int = subprocess.DEVNULL,
    stderr: int = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """Start `python -m desktop ARGS` as a real process (text pipes where asked)."""
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *args],
        env=dict(env),
        cwd=ROOT,
        stdout=stdout,
        stderr=stderr,
        text=True,
    )


def run_hearth(
    args: list[str], env: Mapping[str, str], *, timeout: float = 120, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m desktop ARGS` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        env=dict(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )


@contextmanager
def running(proc: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    """A started process that is killed if the test leaves it running."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def interrupt(proc: subprocess.Popen[str]) -> str:
    """Ctrl+C (SIGINT), then wait for the process to end; return its stderr."""
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return err or ""


def into_closed_pipe(args: list[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `python -m desktop ARGS` whose reader has already gone, like `hearth ... | head -1`
    after its first line."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "desktop", *args],
            env=dict(env),
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
