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
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from desktop.core import formats
from desktop.core.documents import LoadedDocument
from desktop.core.errors import FileUnreadable, IngestError, UnsupportedFile
from desktop.core.ports import PageProgress
from desktop.ingest.isolation import IsolatedLoader, ReadLimits
from desktop.ingest.loaders import MAX_BYTES, sniff

log = logging.getLogger(__name__)

_SNIFF_BYTES = 8192

# Told of each file or folder the walk leaves out, with the reason in words.
OnSkip = Callable[[Path, str], None]


def _ignore(_path: Path, _reason: str) -> None:
    pass


def _skip_name(name: str) -> bool:
    return name.startswith(".") or name in formats.SKIP_DIRS


def _skip_reason(name: str) -> str:
    return "hidden" if name.startswith(".") else "dependency or build folder"


def expand_paths(
    paths: Iterable[Path], on_skip: OnSkip = _ignore, *, by_content: bool = True
) -> Iterator[Path | IngestError]:
    """Yield the files to read, and an IngestError for each path that cannot be used;
    `on_skip` is told of each file or folder left out on purpose, and why. Without `by_content`,
    files in folders are chosen by name alone (their first bytes are not read)."""
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen_dirs, seen_files, on_skip, by_content)
        elif path.is_file():
            if path.suffix.lower() in formats.BINARY:
                yield UnsupportedFile(
                    f"{path.name} cannot be read: Hearth does not read {path.suffix} files.",
                    "Add documents, text or source code.",
                    path=str(path),
                )
            elif _first_visit(path, seen_files):
                yield path
            else:
                on_skip(path, "already included")
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


def _walk(
    folder: Path, seen_dirs: set[str], seen_files: set[str], on_skip: OnSkip, by_content: bool
) -> Iterator[Path | IngestError]:
    if not _first_visit(folder, seen_dirs):
        on_skip(folder, "already included")
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
            on_skip(Path(entry.path), _skip_reason(entry.name))
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(path, seen_dirs, seen_files, on_skip, by_content)
        elif not is_file:
            on_skip(path, "not a regular file")
        elif (reason := unwanted(path, by_content=by_content)) is not None:
            on_skip(path, reason)
        elif _first_visit(path, seen_files):
            yield path
        else:
            on_skip(path, "already included")


def unwanted(path: Path, *, by_content: bool = True) -> str | None:
    """Why a file in a folder is not read, or None: it is read when its name is supported
    and, for text types, its first bytes are not binary (an unreadable file is kept, so
    that it is reported). Without `by_content`, by its name alone."""
    if path.suffix.lower() in formats.BINARY:
        return "binary file type"
    if not formats.is_supported(path):
        return "unsupported file type"
    if not by_content or path.suffix.lower() in formats.CONTAINERS:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return None
    if sniff(head) in ("binary", "ole2", "image"):
        log.info("skipped %s: binary content", path.name)
        return "binary content"
    return None


class FileReader:
    """Implements `desktop.core.ports.DocumentReader`: folders are walked here, files are
    read in a reader process (`desktop.ingest.isolation`) under time and memory limits.

    Args:
        command: starts the reader process (default: the one of this installation).
        notes: folder where running readers are noted (see `IsolatedLoader`).
        ocr: whether pictures of pages are read by OCR, asked at each file (the
            reading.ocr setting as it is when the file is read).
    """

    def __init__(
        self,
        *,
        command: Sequence[str] | None = None,
        notes: Path | None = None,
        ocr: Callable[[], bool] = lambda: True,
    ) -> None:
        self._loader = IsolatedLoader(command, notes)
        self._ocr = ocr
        # Told of each file or folder `expand` leaves out on purpose (the command line
        # counts them by reason).
        self.on_skip: OnSkip = _ignore

    @property
    def limits(self) -> ReadLimits:
        return self._loader.limits

    @limits.setter
    def limits(self, limits: ReadLimits) -> None:
        self._loader.limits = limits

    def expand(self, paths: Sequence[Path]) -> tuple[list[Path], list[IngestError]]:
        files: list[Path] = []
        errors: list[IngestError] = []
        for item in expand_paths(paths, self.on_skip):
            if isinstance(item, IngestError):
                errors.append(item)
            else:
                files.append(item)
        return files, errors

    def load(self, path: Path, on_page: PageProgress | None = None) -> LoadedDocument:
        return self._loader.load(path, MAX_BYTES, ocr=self._ocr(), on_page=on_page)

    def interrupt(self) -> None:
        self._loader.interrupt()

    def close(self) -> None:
        """End the reader process."""
        self._loader.close()


def snapshot(paths: Sequence[Path]) -> dict[str, tuple[int, int]]:
    """The files a walk of `paths` would consider by their names (absolute paths), each with
    its modification time (ns) and size: what a folder watch compares from one scan to the
    next. Contents are not read: check a changed file with `unwanted` before indexing it."""
    files: dict[str, tuple[int, int]] = {}
    for item in expand_paths(paths, by_content=False):
        if isinstance(item, IngestError):
            continue
        try:
            st = item.stat()
        except OSError:  # gone between the listing and now: the next scan settles it
            continue
        files[os.path.abspath(item)] = (st.st_mtime_ns, st.st_size)
    return files
