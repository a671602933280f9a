"""Window responsiveness: event-loop stalls under load, and the cost of a long streamed answer.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_responsiveness.py

1. The window runs over the real services (temporary data folder, built-in embedder) with
   the fake Ollama server: the window's own composition (`WindowRun`, the store and the
   embedder in the indexing process), or with `--in-process` the store and the embedder
   in the window's process as before. A folder is indexed while an answer streams; a 5 ms
   Qt timer records how late each of its ticks fires. The longest delay is the longest
   stall a person could feel (target: at most 16 ms). `--runs N` repeats it.
2. A 20,000-token Markdown answer (paragraphs, lists, code) is streamed into the chat view
   in 30 ms batches as a fast model would produce it; the cost of each flush is timed, to
   show that it does not grow with the length of the answer.
3. The sidebar's knowledge tree is refreshed as indexing refreshes it, over a knowledge base
   of 2,000 documents of which a twentieth becomes ready each time; the cost of each refresh
   (the call and the layout and painting Qt does after it) is timed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import Services, WindowRun, bootstrap
from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
)
from desktop.ui import theme
from desktop.ui.chat_view import ChatView
from desktop.ui.loop import install_loop
from desktop.ui.main import freeze_startup_heap, prepare_qt_environment
from desktop.ui.main_window import MainWindow
from desktop.ui.sidebar import Sidebar
from desktop.ui.tasks import TaskRegistry
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import local_models

TICK_MS = 5


class StallMeter:
    """Records how late a fast Qt timer fires while the loop is busy."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.delays.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


def long_answer(tokens: int) -> list[str]:
    """About `tokens` pieces of Markdown, split the way a model streams them."""
    block = (
        "The orchard behind the mill holds forty trees [1], and the harvest starts in "
        "late September [2]. Apples are stored in the cellar.\n\n"
        "- pick the windfalls first\n- press them in October [3]\n\n"
        "```python\ndef count(rows):\n    return len(rows)\n```\n\n"
    )
    pieces: list[str] = []
    while len(pieces) < tokens:
        for word in block.split(" "):
            pieces.append(word + " ")
    return pieces[:tokens]


def bench_render(tokens: int, per_flush: int) -> None:
    view = ChatView(theme.LIGHT)
    view.resize(900, 700)
    view.show()
    key = view.begin_answer()
    costs: list[float] = []
    pieces = long_answer(tokens)
    started = time.perf_counter()
    for i in range(0, len(pieces), per_flush):
        for piece in pieces[i : i + per_flush]:
            view.append_token(key, piece)
        t0 = time.perf_counter()
        view.flush_now()
        costs.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    view.finish_answer(key, model="bench", provider="local", speed=0)
    finish_ms = (time.perf_counter() - t0) * 1000
    total = time.perf_counter() - started
    tenth = max(1, len(costs) // 10)
    print(f"render: {tokens} tokens in {len(costs)} flushes of {per_flush} tokens")
    print(f"  total render time      {total * 1000:8.1f} ms")
    print(
        f"  flush mean / p99 / max {statistics.mean(costs):6.2f} / "
        f"{sorted(costs)[int(len(costs) * 0.99)]:6.2f} / {max(costs):6.2f} ms"
    )
    print(f"  first 10% mean         {statistics.mean(costs[:tenth]):6.2f} ms")
    print(f"  last 10% mean          {statistics.mean(costs[-tenth:]):6.2f} ms")
    print(f"  final finish()         {finish_ms:6.2f} ms")
    view.close()


def bench_tree(documents: int, refreshes: int) -> None:
    sidebar = Sidebar(theme.LIGHT)
    sidebar.resize(320, 800)
    sidebar.show()
    record = KnowledgeBaseRecord("default", "default", "bench", 384, "bench", 0.0)
    costs: list[float] = []
    for step in range(refreshes + 1):
        ready = documents * step // refreshes
        docs = [
            DocumentRecord(
                f"doc-{i}",
                "default",
                f"/notes/note-{i:05}.md",
                "hash",
                0.0,
                1,
                DocumentStatus.READY if i < ready else DocumentStatus.QUEUED,
                chunk_count=3 if i < ready else 0,
            )
            for i in range(documents)
        ]
        counts = {DocumentStatus.READY: ready, DocumentStatus.QUEUED: documents - ready}
        summary = KnowledgeBaseSummary(record, counts, 3 * ready)
        t0 = time.perf_counter()
        sidebar.show_knowledge([summary], {"default": docs})
        QApplication.processEvents()
        costs.append((time.perf_counter() - t0) * 1000)
    refresh = costs[1:]
    print(f"tree: {documents} documents, {refreshes} refreshes of {documents // refreshes} changes")
    print(f"  first show             {costs[0]:6.1f} ms")
    print(f"  refresh mean / max     {statistics.mean(refresh):6.1f} / {max(refresh):6.1f} ms")
    sidebar.close()


async def idle(tasks: TaskRegistry, *names: str) -> None:
    """Wait until none of the named tasks runs (tasks have no completion event to await)."""
    while True:
        if not any(tasks.running(name) for name in names):
            return
        await asyncio.sleep(0.05)


async def open_services(local: FakeOllama, tmp: str, *, in_process: bool) -> Services | WindowRun:
    """The real services in a temporary data folder, answering through the fake server."""
    ctx = bootstrap(str(Path(tmp) / "data"), env={"OLLAMA_HOST": local.url, "HOME": tmp})
    ctx.settings.provider.chat_model = "llama3.2"
    ctx.settings.provider.mode = "local"
    if in_process:
        return await Services.open(ctx)
    return await WindowRun.open(ctx)


def show_window(services: Services | WindowRun) -> tuple[TaskRegistry, MainWindow]:
    """The main window over `services`, shown at a laptop's size."""
    tasks = TaskRegistry()
    window = MainWindow(services.ctx, theme.LIGHT, tasks)
    window.resize(1200, 800)
    window.show()
    window.attach(services)
    freeze_startup_heap()  # as the window's run does once its services are open
    return tasks, window


async def bench_stalls(files: int, *, in_process: bool) -> float:
    """One run; returns the longest stall (ms)."""
    with FakeOllama(models=local_models()) as local, tempfile.TemporaryDirectory() as tmp:
        services = await open_services(local, tmp, in_process=in_process)
        tasks, window = show_window(services)
        seed = Path(tmp) / "seed"
        seed.mkdir()
        (seed / "seed.md").write_text("# Seed\n\nThe orchard has forty trees.\n", "utf-8")
        window.knowledge.add([str(seed)])
        # The first use loads the embedder; measure the steady state after it.
        await asyncio.sleep(0.1)
        await idle(tasks, "ingest")
        folder = Path(tmp) / "docs"
        folder.mkdir()
        paragraph = "Apples ripen in the orchard behind the old mill in late September. " * 30
        for i in range(files):
            (folder / f"note-{i:03}.md").write_text(f"# Note {i}\n\n{paragraph}\n", "utf-8")
        local.set_reply(" ".join(long_answer(1500)))
        local.set_token_delay(0.004)

        meter = StallMeter()
        meter.start()
        started = time.perf_counter()
        window.knowledge.add([str(folder)])
        window.chat.composer.setPlainText("Tell me about the orchard.")
        window.chat.send_button.click()
        await asyncio.sleep(0.2)
        await idle(tasks, "ingest", "chat")
        meter.stop()
        elapsed = time.perf_counter() - started
        delays = sorted(meter.delays)
        answer = window.chat.entries()[-1]
        print(
            f"stalls: indexed {files} files while a {len(answer.content.split())}-word "
            f"answer streamed, {elapsed:.1f} s, {len(delays)} ticks of {TICK_MS} ms"
        )
        print(f"  longest stall          {delays[-1]:6.1f} ms  (target <= 16 ms)")
        print(
            f"  p99 / p95 / median     {delays[int(len(delays) * 0.99)]:6.1f} / "
            f"{delays[int(len(delays) * 0.95)]:6.1f} / {statistics.median(delays):6.1f} ms"
        )
        window.close()
        await tasks.shutdown()
        await services.aclose()
        return delays[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=20_000)
    parser.add_argument("--per-flush", type=int, default=6, help="tokens per 30 ms batch")
    parser.add_argument("--files", type=int, default=80)
    parser.add_argument("--documents", type=int, default=2000, help="in the knowledge tree")
    parser.add_argument("--runs", type=int, default=1, help="runs of the stall measurement")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="the store and the embedder in the window's process (the composition before)",
    )
    args = parser.parse_args()
    prepare_qt_environment()
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    bench_render(args.tokens, args.per_flush)
    bench_tree(args.documents, refreshes=20)
    loop = install_loop(app)
    with loop:
        longest = [
            loop.run_until_complete(bench_stalls(args.files, in_process=args.in_process))
            for _ in range(args.runs)
        ]
    if len(longest) > 1:
        longest.sort()
        print(
            f"longest stall over {len(longest)} runs: p50 {statistics.median(longest):.1f} / "
            f"max {longest[-1]:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
