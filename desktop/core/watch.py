"""Keeping folders indexed: compare their files now and then, and report settled changes.

Polling, not OS notifications: it works the same on every system and filesystem (network
shares included), sees changes in sub-folders and in files' contents, and needs nothing
but a function that lists the files with their modification time and size. A change is
reported once two scans in a row agree, so a file still being copied is not read half
written.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# A file's path -> (modification time in ns, size in bytes).
Snapshot = Mapping[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class FolderChanges:
    """What changed between two scans: files new or modified, and files gone."""

    changed: tuple[str, ...]
    removed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)


def diff_snapshots(before: Snapshot, after: Snapshot) -> FolderChanges:
    changed = tuple(sorted(p for p, state in after.items() if before.get(p) != state))
    removed = tuple(sorted(p for p in before if p not in after))
    return FolderChanges(changed, removed)


def vanished(changes: FolderChanges, roots: Sequence[Path]) -> list[str]:
    """The removed files whose watched folder is still there, to be forgotten: a folder
    that is gone as a whole (an unmounted drive) keeps its documents."""
    present = [root for root in roots if root.exists()]
    return [
        path
        for path in changes.removed
        if any(Path(path) == root or Path(path).is_relative_to(root) for root in present)
    ]


def touched_roots(changes: FolderChanges, roots: Sequence[Path]) -> list[Path]:
    """The watched folders that hold a new or changed file."""
    return [
        root
        for root in roots
        if any(Path(path) == root or Path(path).is_relative_to(root) for path in changes.changed)
    ]


class FolderWatcher:
    """Scans folders every `interval` seconds and yields their settled changes.

    Args:
        scan: lists the watched files (blocking; it runs in a worker thread).
        interval: seconds between scans.
    """

    def __init__(self, scan: Callable[[], Snapshot], *, interval: float = 2.0) -> None:
        self._scan = scan
        self.interval = interval
        self.snapshot: Snapshot = {}

    async def scan(self) -> Snapshot:
        """Scan now and take the result as what is known (the start of the watch)."""
        self.snapshot = await asyncio.to_thread(self._scan)
        return self.snapshot

    async def changes(self) -> AsyncIterator[FolderChanges]:
        """Settled changes against the last scan, for as long as the caller iterates."""
        while True:
            await asyncio.sleep(self.interval)
            now = await asyncio.to_thread(self._scan)
            if now == self.snapshot:
                continue
            while True:  # wait until the files stop changing
                await asyncio.sleep(self.interval)
                again = await asyncio.to_thread(self._scan)
                if again == now:
                    break
                now = again
            found = diff_snapshots(self.snapshot, now)
            self.snapshot = now
            if found:
                yield found
