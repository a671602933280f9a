"""The polling folder watch: what counts as a change, and when it is reported."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from desktop.core.watch import FolderChanges, FolderWatcher, Snapshot, diff_snapshots
from desktop.ingest.walk import snapshot, unwanted

pytestmark = pytest.mark.unit


def test_diff_names_new_modified_and_removed_files() -> None:
    before = {"/a": (1, 10), "/b": (1, 10), "/c": (1, 10)}
    after = {"/a": (1, 10), "/b": (2, 10), "/d": (1, 5)}
    assert diff_snapshots(before, after) == FolderChanges(("/b", "/d"), ("/c",))
    assert not diff_snapshots(after, dict(after))


def test_snapshot_lists_what_a_walk_would_consider(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text\n")
    (tmp_path / ".hidden.md").write_text("secret\n")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    (tmp_path / "photo.gif").write_bytes(b"GIF89a")
    found = snapshot([tmp_path])
    # By name only: a text-named binary file is listed, and `unwanted` tells it apart when
    # it changes.
    blob, notes, text = tmp_path / "blob.txt", tmp_path / "notes.md", tmp_path / "sub" / "a.txt"
    assert sorted(found) == [str(blob), str(notes), str(text)]
    assert unwanted(blob) == "binary content" and unwanted(notes) is None
    st = os.stat(tmp_path / "notes.md")
    assert found[str(tmp_path / "notes.md")] == (st.st_mtime_ns, st.st_size)


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
