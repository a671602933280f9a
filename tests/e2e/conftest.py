"""The whole window on a running qasync loop, over the real composition root.

The services are `desktop.app.WindowRun` (its indexing process included) with a temporary
data folder, the fake Ollama server as the local server (and the fake cloud when a test
asks for it). A test that holds store writes (`held_writes`) runs the store in its own
process instead (`desktop.app.Services`), where the hold reaches it.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import Context, Services, WindowRun, bootstrap
from desktop.store.vectors import ChromaVectorIndex
from desktop.ui.loop import close_loop, install_loop
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRegistry
from desktop.ui.theme import LIGHT
from tests.fakes.ollama_server import FakeOllama

T = TypeVar("T")


@contextmanager
def running_qasync_loop(app: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop that runs whenever Qt processes events (qtbot.wait, waitUntil), closed
    on the way out with nothing of it left behind."""
    old_hooks = sys.get_asyncgen_hooks()
    loop = install_loop(app, already_running=True)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        # Wait (for real, not a fixed number of event passes) until each cancelled task has
        # run its cleanup: one left pending would leave its HTTP connection open.
        deadline = time.monotonic() + 30
        while not all(t.done() for t in pending) and time.monotonic() < deadline:
            QTest.qWait(10)
        assert all(t.done() for t in pending), f"tasks still running: {pending}"
        # qasync's clean-up for a loop made with already_running=True is stop(), then close().
        # stop() calls QApplication.exit(), after which every QEventLoop.exec() (the next
        # test's waits) returns at once, and leaves the loop set as asyncio's running loop;
        # one pass through run_until_complete (a real QApplication.exec()) undoes both.
        loop.stop()
        loop.run_until_complete(asyncio.sleep(0))
        close_loop(loop)
        asyncio.set_event_loop(None)
        sys.set_asyncgen_hooks(*old_hooks)


@pytest.fixture
def running_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop that runs whenever Qt processes events (qtbot.wait, waitUntil)."""
    with running_qasync_loop(qapp) as loop:
        yield loop


def drive(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 20_000) -> T:
    """Run a coroutine on the running loop while Qt keeps processing events."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def make_context(data_dir: Path, local: FakeOllama, cloud: FakeOllama | None = None) -> Context:
    env = {"OLLAMA_HOST": local.url, "HOME": str(data_dir)}
    if cloud is not None:
        env["HEARTH_CLOUD_URL"] = cloud.url
        env["OLLAMA_API_KEY"] = cloud.api_key or ""
    ctx = bootstrap(str(data_dir / "data"), env=env)
    ctx.settings.provider.chat_model = "llama3.2"
    ctx.settings.provider.mode = "local"
    if cloud is not None:
        ctx.settings.provider.cloud_enabled = True
        ctx.settings.provider.cloud_model = "gpt-oss:120b"
    return ctx


class Harness:
    """One window over real services; closed at the end of the test."""

    def __init__(self, qtbot: QtBot, ctx: Context, *, in_process: bool = False) -> None:
        self.qtbot = qtbot
        self.ctx = ctx
        self.registries: list[TaskRegistry] = []
        self.services: WindowRun | Services = drive(
            qtbot, Services.open(ctx) if in_process else WindowRun.open(ctx)
        )
        self.window = self.new_window()

    def new_window(self) -> MainWindow:
        self.registries.append(TaskRegistry())
        window = MainWindow(self.ctx, LIGHT, self.registries[-1])
        self.qtbot.addWidget(window)
        window.attach(self.services)
        window.show()
        # The offscreen screen is 800 px wide, so a first window fits it at 800; these tests
        # read the top bar's words, which a window that narrow folds into tooltips.
        window.resize(1200, 780)
        return window

    def close(self) -> None:
        for tasks in self.registries:
            drive(self.qtbot, tasks.shutdown())
        drive(self.qtbot, self.services.aclose())
        # The closed store and embedder runtime are freed now, on this thread, while
        # nothing else runs: left to a later collection, chromadb's and the tokenizer's
        # native objects would be torn down in the middle of the next test's work.
        gc.collect()


@pytest.fixture
def harness_factory(
    qtbot: QtBot, running_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> Iterator[Any]:
    made: list[Harness] = []

    def make(
        local: FakeOllama, cloud: FakeOllama | None = None, *, in_process: bool = False
    ) -> Harness:
        harness = Harness(qtbot, make_context(tmp_path, local, cloud), in_process=in_process)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@dataclass
class HeldWrites:
    """Vector writes of a store in the test's process wait at `gate` (as a slow disk holds
    them); `entered` is set when the first one waits, so an import is seen under way."""

    entered: threading.Event = field(default_factory=threading.Event)
    gate: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def held_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldWrites]:
    """Hold the vector writes of every store opened in this process (the in-process
    composition, `Services`), until the test sets `gate`; set at the end in any case."""
    held = HeldWrites()
    original = ChromaVectorIndex.add

    def add(self: ChromaVectorIndex, chunks: Any, embeddings: Any) -> None:
        held.entered.set()
        held.gate.wait(60)
        original(self, chunks, embeddings)

    monkeypatch.setattr(ChromaVectorIndex, "add", add)
    yield held
    held.gate.set()


def start_slow_answer(qtbot: QtBot, window: MainWindow, fake: FakeOllama, words: int) -> Any:
    """Ask through the composer for an answer of `words` words streamed 20 ms apart, and
    return its entry once the first few have arrived (still streaming)."""
    fake.set_reply(" ".join(f"word{n}" for n in range(words)))
    fake.set_token_delay(0.02)
    window.chat.composer.setPlainText("Tell me everything about the orchard.")
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(e.role == "assistant" and "word5" in e.content for e in window.chat.entries()),
        timeout=20_000,
    )
    return [e for e in window.chat.entries() if e.role == "assistant"][-1]
