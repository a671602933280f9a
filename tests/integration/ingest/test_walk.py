"""Expanding files and folders: what is skipped, link loops, order, errors that do not stop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.core.errors import FileUnreadable, IngestError, UnsupportedFile
from desktop.core.formats import is_supported
from desktop.ingest.walk import FileReader, expand_paths

pytestmark = pytest.mark.integration


def write(path: Path, data: str | bytes = "text") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return path


def test_folders_skip_hidden_dependencies_build_and_binaries(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "b.md")
    write(root / "a.txt")
    write(root / "sub" / "c.py", "c = 1")
    write(root / "sub" / "README")
    write(root / "sub" / "Makefile", "all:\n")
    write(root / "sub" / "image.gif", b"GIF89a")
    write(root / "sub" / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(root / "sub" / "data.bin.txt", bytes(range(256)))
    write(root / "sub" / "unknown.xyz", "not a known type")
    write(root / ".hidden.md")
    for skipped in (
        ".git",
        "node_modules/pkg",
        "__pycache__",
        ".venv",
        "venv/lib",
        "build",
        "dist",
        "target",
        ".tox",
        ".mypy_cache",
        "lib/site-packages",
    ):
        write(root / skipped / "inside.md")
    found = list(expand_paths([root]))
    assert found == [
        root / "a.txt",
        root / "b.md",
        root / "sub" / "Makefile",
        root / "sub" / "README",
        root / "sub" / "c.py",
    ]


def test_symlink_loops_and_duplicates_are_read_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "docs" / "one.md")
    (root / "docs" / "loop").symlink_to(root)
    (root / "alias").symlink_to(root / "docs")
    (root / "same.md").symlink_to(root / "docs" / "one.md")
    found = list(expand_paths([root, root / "docs", root / "docs" / "one.md"]))
    assert found == [root / "alias" / "one.md"]


def test_named_paths_and_their_errors(tmp_path: Path) -> None:
    hidden = write(tmp_path / ".notes.md")
    odd = write(tmp_path / "notes 😀\nline.unknown", "still text")
    song = write(tmp_path / "song.mp3", b"ID3")
    dangling = tmp_path / "gone.md"
    dangling.symlink_to(tmp_path / "never-there.md")
    missing = tmp_path / "missing.txt"
    found = list(expand_paths([hidden, odd, song, dangling, missing]))
    assert found[:2] == [hidden, odd]
    errors = found[2:]
    assert [type(e) for e in errors] == [UnsupportedFile, FileUnreadable, FileUnreadable]
    messages = [e.message for e in errors if isinstance(e, IngestError)]
    assert messages == [
        "song.mp3 cannot be read: Hearth does not read .mp3 files.",
        "gone.md is a link to something that does not exist.",
        f"{missing} does not exist.",
    ]
    files, failures = FileReader().expand([hidden, song, missing])
    assert files == [hidden]
    assert [type(e).__name__ for e in failures] == ["UnsupportedFile", "FileUnreadable"]


def test_unreadable_folder_is_reported_and_the_walk_goes_on(tmp_path: Path) -> None:
    locked = tmp_path / "a-locked"
    write(locked / "inside.md")
    write(tmp_path / "b-open" / "fine.md")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: permissions do not stop reads")
        found = list(expand_paths([tmp_path]))
        assert isinstance(found[0], FileUnreadable) and "a-locked" in found[0].message
        assert found[1:] == [tmp_path / "b-open" / "fine.md"]
    finally:
        locked.chmod(0o700)


def test_unreadable_file_in_a_folder_is_still_listed(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.md")
    locked.chmod(0)
    try:
        assert list(expand_paths([tmp_path])) == [locked]
    finally:
        locked.chmod(0o600)


def test_drop_filter() -> None:
    for name in (
        "x.PDF",
        "a.md",
        "b.docx",
        "c.tsv",
        "Dockerfile",
        "LICENSE",
        "d.jsonl",
        "e.rs",
        "f.png",
    ):
        assert is_supported(Path(name)), name
    for name in ("x.exe", "y.gif", "z.zip", "notes", "w.doc"):
        assert not is_supported(Path(name)), name
