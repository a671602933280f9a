"""Damaged files in the data folder: a clear message naming the file, nothing
overwritten, no traceback; a damaged settings file is set aside and the app goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration


def test_damaged_document_database(cli_env: dict[str, str]) -> None:
    data = Path(cli_env["HEARTH_DATA_DIR"])
    data.mkdir(parents=True)
    garbage = b"this is not a database" * 200
    (data / "hearth.db").write_bytes(garbage)
    result = run_hearth(["kb", "list"], cli_env)
    assert result.returncode == 1
    assert f"error: The document list {data / 'hearth.db'} is damaged" in result.stderr
    assert "hint: Move that file aside" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / "hearth.db").read_bytes() == garbage  # left untouched for recovery


def test_damaged_vector_store(cli_env: dict[str, str]) -> None:
    chroma = Path(cli_env["HEARTH_DATA_DIR"]) / "chroma"
    chroma.mkdir(parents=True)
    (chroma / "chroma.sqlite3").write_bytes(b"\x00garbage" * 500)
    result = run_hearth(["search", "anything"], cli_env)
    assert result.returncode == 1
    assert "the vector store is damaged" in result.stderr
    assert str(chroma) in result.stderr
    assert "Traceback" not in result.stderr


def test_damaged_settings_are_set_aside(tmp_path: Path, cli_env: dict[str, str]) -> None:
    config = Path(cli_env["HEARTH_DATA_DIR"]) / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text("{ broken")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("alpha beta")
    result = run_hearth(["ingest", str(docs)], cli_env)
    assert result.returncode == 0
    assert "notice: The settings file was damaged and has been moved to" in result.stderr
    assert len(list(config.glob("settings.json.corrupt-*"))) == 1


def test_data_folder_that_cannot_be_created(tmp_path: Path, cli_env: dict[str, str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_hearth(["--data-dir", str(blocker / "data"), "kb", "list"], cli_env)
    assert result.returncode == 1
    assert f"Hearth cannot create its folder {blocker / 'data'}" in result.stderr
