"""The polling folder watch: what counts as a change, and when it is reported."""

from __future__ import annotations

import asyncio

import pytest

from desktop.core.watch import FolderChanges, FolderWatcher, Snapshot, diff_snapshots

pytestmark = pytest.mark.unit


def test_diff_names_new_modified_and_removed_files() -> None:
    before = {"/a": (1, 10), "/b": (1, 10), "/c": (1, 10)}
    after = {"/a": (1, 10), "/b": (2, 10), "/d": (1, 5)}
    assert diff_snapshots(before, after) == FolderChanges(("/b", "/d"), ("/c",))
    assert not diff_snapshots(after, dict(after))


async def test_a_change_is_reported_once_it_has_settled() -> None:
    """A file still growing (two scans differ) is reported only when two scans agree."""
    scans: list[Snapshot] = [
        {"/a": (1, 1)},  # the start
        {"/a": (1, 1)},  # nothing yet
        {"/a": (1, 1), "/b": (1, 100)},  # /b appears ...
        {"/a": (1, 1), "/b": (2, 200)},  # ... still being written
        {"/a": (1, 1), "/b": (3, 300)},
        {"/a": (1, 1), "/b": (3, 300)},  # settled
        {"/b": (3, 300)},  # /a deleted
        {"/b": (3, 300)},
    ]
    calls = iter(scans)
    watcher = FolderWatcher(lambda: next(calls), interval=0.001)
    assert await watcher.scan() == {"/a": (1, 1)}
    stream = watcher.changes()
    first = await anext(stream)
    assert first == FolderChanges(("/b",), ())
    assert watcher.snapshot == {"/a": (1, 1), "/b": (3, 300)}
    second = await anext(stream)
    assert second == FolderChanges((), ("/a",))
    await stream.aclose()


async def test_a_change_undone_before_it_settles_is_not_reported() -> None:
    scans: list[Snapshot] = [
        {"/a": (1, 1)},
        {"/a": (2, 2)},  # touched ...
        {"/a": (1, 1)},  # ... and put back
        {"/a": (1, 1)},
        {"/a": (1, 1), "/c": (1, 1)},
        {"/a": (1, 1), "/c": (1, 1)},
    ]
    calls = iter(scans)
    watcher = FolderWatcher(lambda: next(calls), interval=0.001)
    await watcher.scan()
    stream = watcher.changes()
    assert await asyncio.wait_for(anext(stream), 30) == FolderChanges(("/c",), ())
    await stream.aclose()
