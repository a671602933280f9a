"""Expanding dropped files and folders into the files to read.

Folders recurse in a stable (sorted) order, skipping hidden entries, version-control and
dependency/build folders, and known binary types. Symbolic links are followed, but a
folder reached twice (a link loop, or two links to one place) is read once. A folder that
cannot be listed is reported and the walk goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from desktop.core.documents import LoadedDocument
from desktop.core.errors import FileUnreadable, IngestError, UnsupportedFile
from desktop.ingest import formats
from desktop.ingest.loaders import load_document


def _skip_name(name: str) -> bool:
    return name.startswith(".") or name in formats.SKIP_DIRS


def expand_paths(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """Yield readable files, and an IngestError for each path that cannot be used."""
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen_dirs, seen_files)
        elif path.is_file():
            real = os.path.realpath(path)
            if real not in seen_files:
                seen_files.add(real)
                yield path
        elif path.is_symlink():
            yield FileUnreadable(
                f"{path.name} is a link to something that does not exist.", "", path=str(path)
            )
        else:
            yield FileUnreadable(
                f"{path} does not exist.", "Check the path and try again.", path=str(path)
            )


def _walk(folder: Path, seen_dirs: set[str], seen_files: set[str]) -> Iterator[Path | IngestError]:
    real = os.path.realpath(folder)
    if real in seen_dirs:
        return
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield FileUnreadable(
            f"The folder {folder} cannot be read: {exc.strerror}.",
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
            continue
        if is_dir:
            yield from _walk(path, seen_dirs, seen_files)
        elif is_file and formats.is_supported(path) and path.suffix.lower() not in formats.BINARY:
            file_real = os.path.realpath(path)
            if file_real not in seen_files:
                seen_files.add(file_real)
                yield path


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
            elif item in paths and not formats.is_supported(item) and item.suffix:
                # A file named directly is tried (its content decides), unless it is a
                # known binary type.
                if item.suffix.lower() in formats.BINARY:
                    errors.append(
                        UnsupportedFile(
                            f"{item.name} is a {item.suffix.lstrip('.').upper()} file, "
                            "which Hearth cannot read.",
                            "Add documents, text or source code.",
                            path=str(item),
                        )
                    )
                else:
                    files.append(item)
            else:
                files.append(item)
        return files, errors

    def load(self, path: Path) -> LoadedDocument:
        if self._max_bytes is None:
            return load_document(path)
        return load_document(path, max_bytes=self._max_bytes)
