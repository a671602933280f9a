"""Expanding dropped files and folders into the files to read.

Folders recurse in a stable (sorted) order, skipping hidden entries, version-control and
dependency/build folders, known binary types, and text-named files whose first bytes are
binary. Symbolic links are followed, but a folder or file reached twice (a link loop, or
two links to one place) is read once. A folder that cannot be listed is reported and the
walk goes on. A file named directly is always tried (its content decides), unless its
name says it is a binary type.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from desktop.core.documents import LoadedDocument
from desktop.core.errors import FileUnreadable, IngestError, UnsupportedFile
from desktop.ingest import formats
from desktop.ingest.loaders import load_document, sniff

log = logging.getLogger(__name__)

_SNIFF_BYTES = 8192


def _skip_name(name: str) -> bool:
    return name.startswith(".") or name in formats.SKIP_DIRS


def expand_paths(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """Yield the files to read, and an IngestError for each path that cannot be used."""
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen_dirs, seen_files)
        elif path.is_file():
            if path.suffix.lower() in formats.BINARY:
                yield UnsupportedFile(
                    f"{path.name} cannot be read: Hearth does not read {path.suffix} files.",
                    "Add documents, text or source code.",
                    path=str(path),
                )
            elif _first_visit(path, seen_files):
                yield path
        elif path.is_symlink():
            yield FileUnreadable(
                f"{path.name} is a link to something that does not exist.",
                "Add the file it pointed to instead.",
                path=str(path),
            )
        else:
            yield FileUnreadable(
                f"{path} does not exist.", "Check the path and try again.", path=str(path)
            )


def _first_visit(path: Path, seen: set[str]) -> bool:
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _walk(folder: Path, seen_dirs: set[str], seen_files: set[str]) -> Iterator[Path | IngestError]:
    if not _first_visit(folder, seen_dirs):
        return
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield FileUnreadable(
            f"The folder {folder} cannot be read: {exc.strerror or exc}.",
            "Check its permissions.",
            path=str(folder),
        )
        return
    for entry in entries:
        if _skip_name(entry.name):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(path, seen_dirs, seen_files)
        elif is_file and _wanted(path) and _first_visit(path, seen_files):
            yield path


def _wanted(path: Path) -> bool:
    """A file in a folder is read when its name is supported and, for text types, its
    first bytes are not binary (an unreadable file is kept, so that it is reported)."""
    if not formats.is_supported(path) or path.suffix.lower() in formats.BINARY:
        return False
    if path.suffix.lower() in formats.CONTAINERS:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return True
    if sniff(head) in ("binary", "ole2"):
        log.info("skipped %s: binary content", path.name)
        return False
    return True


class FileReader:
    """Implements `desktop.core.ports.DocumentReader` with the real loaders."""

    def __init__(self, *, max_bytes: int | None = None) -> None:
        self._max_bytes = max_bytes

    def expand(self, paths: Sequence[Path]) -> tuple[list[Path], list[IngestError]]:
        files: list[Path] = []
        errors: list[IngestError] = []
        for item in expand_paths(paths):
            if isinstance(item, IngestError):
                errors.append(item)
            else:
                files.append(item)
        return files, errors

    def load(self, path: Path) -> LoadedDocument:
        if self._max_bytes is None:
            return load_document(path)
        return load_document(path, max_bytes=self._max_bytes)
