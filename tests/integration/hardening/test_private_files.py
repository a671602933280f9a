"""Everything Hearth writes is readable by the user only, whatever the caller's umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.ollama_server import FakeOllama
from tests.integration.conftest import ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits"),
]


def hearth(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`hearth ARGS` started under a permissive umask (0o002), as a desktop session might."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, runpy; os.umask(0o002); runpy.run_module('desktop', run_name='__main__')",
            *args,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_cli_session_leaves_nothing_readable_by_others(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cats.md").write_text("# Cats\n\nCats sleep about sixteen hours a day.\n")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    for args in (
        ["ingest", str(docs)],
        ["search", "cats sleep", "--json"],
        ["ask", "How long do cats sleep?", "--model", "llama3.2", "--provider", "local"],
    ):
        result = hearth(args, env)
        assert result.returncode == 0, (args, result.stderr)
    data = Path(cli_env["HEARTH_DATA_DIR"])
    written = [data, *data.rglob("*")]
    assert len(written) > 5  # the store, the settings, the logs were all written
    open_to_others = [
        f"{p.relative_to(data.parent)} {stat.filemode(p.lstat().st_mode)}"
        for p in written
        if not p.is_symlink() and p.lstat().st_mode & 0o077
    ]
    assert open_to_others == []


def test_an_existing_data_folder_open_to_others_is_narrowed(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = Path(cli_env["HEARTH_DATA_DIR"])
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    assert hearth(["kb", "list"], cli_env).returncode == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
