"""`hearth watch`, as a real process: indexes at once, follows changes, holds the write lock,
stops cleanly on Ctrl+C."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.lock_holder import lock_holder
from tests.integration.conftest import interrupt, run_hearth, running, start_hearth

pytestmark = pytest.mark.integration


def read_until(proc: subprocess.Popen[str], wanted: Callable[[str], bool]) -> list[str]:
    """stderr lines up to and including the first one `wanted` accepts (the wait is the
    blocking read: no sleeps)."""
    assert proc.stderr is not None
    lines: list[str] = []
    while True:
        line = proc.stderr.readline()
        assert line, f"the process ended first (exit {proc.wait()}): {lines}"
        lines.append(line.rstrip("\n"))
        if wanted(lines[-1]):
            return lines


def _documents(env: dict[str, str]) -> dict[str, int]:
    report = json.loads(run_hearth(["status", "--json"], env).stdout)
    return {kb["name"]: kb["documents"] for kb in report["knowledge_bases"]}


def test_watch_follows_changes_and_stops_on_ctrl_c(tmp_path: Path, cli_env: dict[str, str]) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "cats.md").write_text("# Cats\n\nCats sleep sixteen hours a day.\n")
    env = {**cli_env, "OLLAMA_HOST": "127.0.0.1:9"}
    args = ["watch", str(docs), "--kb", "notes", "--interval", "0.2"]
    with running(start_hearth(args, env)) as proc:
        started = read_until(proc, lambda line: line.startswith("Watching "))
        assert any(line.startswith("1 indexed, 0 unchanged, 0 failed") for line in started)
        assert started[-1] == f"Watching {docs} (Ctrl+C stops)."
        # A new file in a sub-folder is indexed.
        # A text-named binary file is left out, as a folder walk leaves it out.
        (docs / "blob.txt").write_bytes(b"\x00\x01binary\x00" * 100)
        (docs / "sub" / "dogs.txt").write_text("Dogs like a walk in the park every day.\n")
        added = read_until(proc, lambda line: line.startswith("1 indexed,"))
        assert "1 changed: indexing." in added
        assert not any("failed" in line and "blob.txt" in line for line in added)
        # One writer per data folder: another writer is refused and told who holds it.
        other = tmp_path / "other.md"
        other.write_text("# Other\n")
        refused = run_hearth(["ingest", str(other), "--kb", "notes"], env)
        assert refused.returncode == 1
        assert "is being changed by hearth watch (process" in refused.stderr
        # Readers are fine beside it.
        assert _documents(env) == {"notes": 2}
        report = json.loads(run_hearth(["status", "--json"], env).stdout)
        assert report["data_folder"]["write_lock"]["pid"] == proc.pid
        # A deleted file leaves the knowledge base.
        (docs / "cats.md").unlink()
        removed = read_until(proc, lambda line: line.startswith("1 removed from"))
        assert f"removed: {docs / 'cats.md'}" in removed
        assert _documents(env) == {"notes": 1}
        err = interrupt(proc)
    assert proc.returncode == 130, err
    assert "cancelled" in err and "Traceback" not in err
    # The lock went with it.
    after = json.loads(run_hearth(["status", "--json"], env).stdout)
    assert after["data_folder"]["write_lock"] is None


def test_watch_refuses_a_missing_folder(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = run_hearth(["watch", str(tmp_path / "nowhere")], cli_env)
    assert result.returncode == 1
    assert f"error: Cannot watch what does not exist: {tmp_path / 'nowhere'}." in result.stderr
    assert run_hearth(["watch", str(tmp_path), "--interval", "0"], cli_env).returncode == 2


def test_watch_beside_another_writer_stops_at_once(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = Path(cli_env["HEARTH_DATA_DIR"])
    data.mkdir(parents=True)
    with lock_holder(data, "the Hearth window") as holder:
        result = run_hearth(["watch", str(tmp_path)], cli_env)
    assert result.returncode == 1
    assert f"is being changed by the Hearth window (process {holder.pid}," in result.stderr
    assert "Watching" not in result.stderr and "Traceback" not in result.stderr
