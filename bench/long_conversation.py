"""A 500-turn conversation in the window: how long it takes to open, the longest stall a
person could feel while it opens, and what a new answer streamed into it costs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/long_conversation.py [--turns 500]

The window runs over the real services (temporary data folder, built-in embedder) with the
fake Ollama server; the conversation is stored in the real SQLite history first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from bench.ui_responsiveness import StallMeter, open_services, show_window
from desktop.ui.loop import install_loop
from desktop.ui.main import prepare_qt_environment
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import local_models

ANSWER = (
    "The orchard behind the mill holds forty trees [1], and the harvest starts in late "
    "September [2].\n\n- pick the windfalls first\n- press them in October\n\n"
    "```python\nprint('cider')\n```\n"
)


async def until(condition: Callable[[], bool]) -> None:
    """Poll the window (it has no event to await for "laid out")."""
    async with asyncio.timeout(120):
        while True:
            if condition():
                return
            await asyncio.sleep(0.005)


async def bench(turns: int) -> None:
    with FakeOllama(models=local_models()) as local, tempfile.TemporaryDirectory() as tmp:
        services = await open_services(local, tmp)
        knowledge = await services.knowledge()
        conversation = knowledge.history.create("A very long talk", "default")
        for n in range(turns):
            cid = conversation.conversation_id
            knowledge.history.add_message(cid, "user", f"Question {n}: the harvest?")
            knowledge.history.add_message(cid, "assistant", ANSWER, model="llama3.2")
        tasks, window = show_window(services)
        await asyncio.sleep(0.5)

        meter = StallMeter()
        meter.start()
        started = time.perf_counter()
        window.chat_controller.open_conversation(conversation.conversation_id)
        await until(lambda: len(window.chat.entries()) == 2 * turns)
        opened = time.perf_counter() - started
        meter.stop()
        print(f"open {turns} turns ({2 * turns} messages): {opened * 1000:.0f} ms")
        print(f"  longest stall while opening {max(meter.delays):6.1f} ms")
        p99 = sorted(meter.delays)[int(len(meter.delays) * 0.99)]
        print(f"  p99 stall                   {p99:6.1f} ms")

        meter = StallMeter()
        meter.start()
        started = time.perf_counter()
        window.chat.question_submitted.emit("And who planted the orchard?")
        await until(lambda: len(window.chat.entries()) == 2 * turns + 2)
        answer = window.chat.entries()[-1]
        await until(lambda: not answer.streaming)
        answered = time.perf_counter() - started
        meter.stop()
        print(f"a new answer in it: {answered * 1000:.0f} ms end to end")
        print(f"  longest stall while answering {max(meter.delays):6.1f} ms")
        print(f"  mean stall                    {statistics.mean(meter.delays):6.2f} ms")
        await tasks.shutdown()
        window.close()
        await services.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=500)
    args = parser.parse_args()
    prepare_qt_environment()
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    loop = install_loop(app)
    with loop:
        loop.run_until_complete(bench(args.turns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
