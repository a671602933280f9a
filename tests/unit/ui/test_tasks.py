"""The named task registry that runs answers: one task per name, failures never lost."""

from __future__ import annotations

import asyncio
import logging

import pytest

from desktop.core.errors import ProviderUnreachable
from desktop.ui.tasks import TaskRegistry

pytestmark = pytest.mark.unit


async def test_a_new_task_cancels_its_namesake() -> None:
    registry = TaskRegistry()
    release = asyncio.Event()
    old = registry.start("answer", release.wait())
    new = registry.start("answer", release.wait())
    other = registry.start("ingest", release.wait())
    await asyncio.sleep(0)
    assert old.cancelled()
    assert registry.running("answer") and registry.running("ingest")
    release.set()
    await asyncio.gather(new, other)
    assert not registry.running("answer")  # finished tasks leave the registry
    assert not registry.running("ingest")


async def test_cancel_and_cancel_all() -> None:
    registry = TaskRegistry()
    release = asyncio.Event()
    assert registry.cancel("answer") is False
    first = registry.start("answer", release.wait())
    assert registry.cancel("answer") is True
    assert registry.cancel("answer") is False
    second = registry.start("a", release.wait())
    third = registry.start("b", release.wait())
    assert set(registry.cancel_all()) == {second, third}
    await asyncio.gather(first, second, third, return_exceptions=True)
    assert first.cancelled() and second.cancelled() and third.cancelled()
    assert not registry.running("a") and not registry.running("b")


async def test_shutdown_waits_for_cancelled_tasks() -> None:
    registry = TaskRegistry()
    cleaned: list[str] = []

    async def work() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0)
            cleaned.append("closed")

    registry.start("answer", work())
    await asyncio.sleep(0)
    await registry.shutdown()
    assert cleaned == ["closed"]


async def test_a_crash_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    registry = TaskRegistry()

    async def crash() -> None:
        raise RuntimeError("index out of step")

    task = registry.start("answer", crash())
    with pytest.raises(RuntimeError):
        await task
    await asyncio.sleep(0)  # done callbacks run on the next loop turn
    [record] = [r for r in caplog.records if r.name == "desktop.ui.tasks"]
    assert record.levelno == logging.ERROR
    assert "answer" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[1] is task.exception()


async def test_a_user_facing_error_is_logged_by_kind_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="desktop.ui.tasks")
    registry = TaskRegistry()

    async def fail() -> None:
        raise ProviderUnreachable("Ollama at http://secret-host:11434 is not answering.")

    task = registry.start("answer", fail())
    with pytest.raises(ProviderUnreachable):
        await task
    await asyncio.sleep(0)
    [record] = [r for r in caplog.records if r.name == "desktop.ui.tasks"]
    assert record.levelno == logging.INFO
    assert "ProviderUnreachable" in record.getMessage()
    assert "secret-host" not in caplog.text


async def test_shutdown_waits_for_a_replaced_task_still_cleaning_up() -> None:
    """A task replaced by its namesake is cancelled but may still be closing its HTTP
    response; shutdown must wait for it too, or that connection is left open."""
    registry = TaskRegistry()
    cleaning = asyncio.Event()
    finish_cleanup = asyncio.Event()
    cleaned: list[str] = []

    async def request() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaning.set()
            await finish_cleanup.wait()
            cleaned.append("closed")

    old = registry.start("models", request())
    await asyncio.sleep(0)  # the request is under way
    registry.start("models", asyncio.Event().wait())
    await cleaning.wait()
    assert not old.done()
    shutdown = asyncio.ensure_future(registry.shutdown())
    # Shutdown cannot end while the old task is still cleaning up (the old registry ended
    # as soon as the named tasks had stopped).
    done, _ = await asyncio.wait([shutdown], timeout=0.2)
    assert not done
    finish_cleanup.set()
    await shutdown
    assert cleaned == ["closed"] and old.done()


@pytest.mark.allow_warning_logs
async def test_shutdown_does_not_wait_forever_for_a_task_that_ignores_cancel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry = TaskRegistry()
    registry.shutdown_grace = 0.1
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue

    task = registry.start("stubborn", stubborn())
    await asyncio.sleep(0)
    await registry.shutdown()
    assert not task.done()
    assert "task stubborn did not stop when cancelled" in caplog.text
    release.set()
    await task
