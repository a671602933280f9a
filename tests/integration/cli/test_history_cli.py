"""`hearth history`, as a real process over the conversations the window stores."""

from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.conversations import StoredCitation
from desktop.store.history import ConversationStore
from tests.integration.conftest import ROOT, run_hearth, running

pytestmark = pytest.mark.integration


def _seed(data_dir: Path) -> tuple[int, int]:
    """Two conversations as the window saves them; returns their ids."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = ConversationStore(data_dir / "hearth.db")
    cats = store.create("Cats", kb="notes")
    store.add_message(cats.conversation_id, "user", "How long do cats sleep?")
    store.add_message(
        cats.conversation_id,
        "assistant",
        "About sixteen hours [1].",
        provider="local",
        model="llama3.2",
        citations=(StoredCitation(1, "/docs/cats.md", None, "Cats sleep 16 h.", "c1"),),
    )
    dogs = store.create("Собаки")
    store.add_message(dogs.conversation_id, "user", "Где гуляют собаки?")
    store.close()
    return cats.conversation_id, dogs.conversation_id


def test_history_list_show_export_rm(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = Path(cli_env["HEARTH_DATA_DIR"])
    cats, dogs = _seed(data)
    listed = run_hearth(["history", "list", "--json"], cli_env)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["title"], r["kb"], r["messages"]) for r in rows] == [
        (dogs, "Собаки", "", 1),
        (cats, "Cats", "notes", 2),
    ]
    text = run_hearth(["history", "list"], cli_env).stdout.splitlines()
    assert text[1].endswith("  2 messages  Cats  [notes]") and text[1].lstrip().startswith(
        str(cats)
    )
    found = json.loads(
        run_hearth(["history", "list", "--search", "sixteen", "--json"], cli_env).stdout
    )
    assert [r["id"] for r in found] == [cats]
    # show: the window's Markdown, or every field as JSON.
    store = ConversationStore(data / "hearth.db")
    markdown = store.export(cats, "md")
    store.close()
    shown = run_hearth(["history", "show", str(cats)], cli_env)
    assert shown.stdout == markdown
    assert "## Answer (llama3.2, local)" in markdown and "1. /docs/cats.md" in markdown
    as_json = json.loads(run_hearth(["history", "show", str(cats), "--json"], cli_env).stdout)
    assert as_json["title"] == "Cats" and as_json["kb"] == "notes"
    answer = as_json["messages"][1]
    assert answer["model"] == "llama3.2" and answer["citations"][0]["source"] == "/docs/cats.md"
    # export: stdout, or a file only its owner can read.
    assert run_hearth(["history", "export", str(cats)], cli_env).stdout == markdown
    target = tmp_path / "cats.json"
    saved = run_hearth(
        ["history", "export", str(cats), "--format", "json", "-o", str(target)], cli_env
    )
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout == "" and f"Saved conversation {cats} to {target}." in saved.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8")) == as_json
    # rm: refused without a terminal to ask unless --yes; then gone; a wrong id is named.
    refused = run_hearth(["history", "rm", str(dogs)], cli_env, stdin="")
    assert refused.returncode == 1
    assert f"error: Refusing to delete conversation {dogs} without confirmation." in (
        refused.stderr
    )
    assert "hint: Add --yes to confirm." in refused.stderr
    assert len(json.loads(run_hearth(["history", "list", "--json"], cli_env).stdout)) == 2
    assert run_hearth(["history", "rm", str(dogs), "--yes"], cli_env).returncode == 0
    left = json.loads(run_hearth(["history", "list", "--json"], cli_env).stdout)
    assert [r["id"] for r in left] == [cats]
    again = run_hearth(["history", "rm", str(dogs), "--yes"], cli_env)
    assert again.returncode == 1
    assert f"error: Conversation {dogs} does not exist." in again.stderr
    assert "hint: See them with: hearth history list" in again.stderr
    missing = run_hearth(["history", "show", "999", "--json"], cli_env)
    assert missing.returncode == 1 and missing.stdout == ""
    assert run_hearth(["history", "export", "x"], cli_env).returncode == 2


def _at_a_terminal(args: list[str], env: dict[str, str], typed: bytes) -> str:
    """Run `hearth ARGS` in a pseudo-terminal, type `typed` once it asks; all it wrote."""
    leader, follower = pty.openpty()
    try:
        with running(
            subprocess.Popen(
                [sys.executable, "-m", "desktop", *args],
                env=env,
                cwd=ROOT,
                stdin=follower,
                stdout=follower,
                stderr=follower,
            )
        ) as proc:
            os.close(follower)
            follower = -1
            seen = b""
            while b"[y/N]" not in seen:
                chunk = os.read(leader, 1024)
                assert chunk, "the command ended without asking"
                seen += chunk
            os.write(leader, typed)
            while True:
                try:
                    chunk = os.read(leader, 1024)
                except OSError:  # EIO: the command ended and closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            return seen.decode("utf-8", "replace") + f"\nexit {proc.wait(timeout=60)}"
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


def test_history_rm_asks_at_a_terminal(cli_env: dict[str, str]) -> None:
    cats, dogs = _seed(Path(cli_env["HEARTH_DATA_DIR"]))
    kept = _at_a_terminal(["history", "rm", str(cats)], cli_env, b"n\n")
    assert f"Delete conversation {cats} \u201cCats\u201d (2 messages)? [y/N]" in kept
    assert "Nothing deleted." in kept and kept.endswith("exit 1")
    gone = _at_a_terminal(["history", "rm", str(dogs)], cli_env, b"y\n")
    assert f"Deleted conversation {dogs}." in gone and gone.endswith("exit 0")
    left = json.loads(run_hearth(["history", "list", "--json"], cli_env).stdout)
    assert [r["id"] for r in left] == [cats]


def test_history_export_to_an_unwritable_place(tmp_path: Path, cli_env: dict[str, str]) -> None:
    cats, _ = _seed(Path(cli_env["HEARTH_DATA_DIR"]))
    target = tmp_path / "no-such-folder" / "out.md"
    result = run_hearth(["history", "export", str(cats), "-o", str(target)], cli_env)
    assert result.returncode == 1
    assert f"error: The conversation could not be saved to {target}" in result.stderr
    assert "Traceback" not in result.stderr


def test_history_with_no_conversations(cli_env: dict[str, str]) -> None:
    empty = run_hearth(["history", "list"], cli_env)
    assert empty.returncode == 0 and empty.stdout == ""
    assert "No conversations yet." in empty.stderr
    assert json.loads(run_hearth(["history", "list", "--json"], cli_env).stdout) == []
