"""The folder snapshot the watch compares: the files a walk would consider, by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.ingest.walk import snapshot, unwanted

pytestmark = pytest.mark.unit


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
