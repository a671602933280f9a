"""Two Hearth processes on one data folder: one may change the store at a time, the other
is told who holds it (and still reads); a process that waited and then writes starts from
what the other one wrote, never from its own stale copy."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from pathlib import Path

import pytest

from desktop.app import Services, bootstrap
from desktop.core.errors import StoreBusy
from desktop.infra.store_lock import OWNER_NAME, StoreLock
from tests.fakes.lock_holder import lock_holder
from tests.fakes.ollama_server import FakeOllama
from tests.integration.conftest import run_hearth, start_hearth
from tests.integration.hardening.test_crash_safety import FILES, audit, corpus

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


def start_ingest(folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `hearth ingest FOLDER` and return once it holds the write lock."""
    proc = start_hearth(["ingest", str(folder)], env)
    owner = Path(env["HEARTH_DATA_DIR"]) / OWNER_NAME
    deadline = time.monotonic() + 120
    while not owner.exists():
        assert proc.poll() is None, "the ingestion ended before taking the lock"
        assert time.monotonic() < deadline, "the ingestion never took the write lock"
        time.sleep(0.05)
    return proc


def finish(proc: subprocess.Popen[str]) -> None:
    """Wait for a started ingestion; it must succeed."""
    _, errors = proc.communicate(timeout=400)
    assert proc.returncode == 0, errors


def test_the_os_releases_the_lock_of_a_killed_process(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path, "the Hearth window")
    with lock_holder(tmp_path) as holder:
        assert not lock.try_acquire()
        message = lock.busy_error().message
        assert f"hearth ingest (process {holder.pid}, since " in message
        assert str(tmp_path) in message
    assert lock.try_acquire(), "a killed holder's lock must be free at once"
    lock.release()
    assert not (tmp_path / OWNER_NAME).exists()


def test_a_second_writer_is_refused_while_readers_go_on(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    docs, more = tmp_path / "docs", tmp_path / "more"
    corpus(docs)
    more.mkdir()
    (more / "note.md").write_text("# Harbor note\n\nThe harbor lights are green at night.")
    writer = start_ingest(docs, cli_env)

    refused = run_hearth(["ingest", str(more)], cli_env)
    assert refused.returncode == 1
    assert re.search(
        rf"being changed by hearth ingest \(process {writer.pid}, since", refused.stderr
    )
    assert "hint: Wait for it to finish" in refused.stderr
    removal = run_hearth(["kb", "remove", "default"], cli_env)
    assert removal.returncode == 1 and "being changed by hearth ingest" in removal.stderr
    # A reader opens the store beside the writer (and must not "recover" its work).
    reader = run_hearth(["search", "river stone", "--json"], cli_env)
    assert reader.returncode == 0, reader.stderr

    finish(writer)
    state = audit(Path(cli_env["HEARTH_DATA_DIR"]), cli_env)
    assert state["consistent"], state["problems"]
    assert state["ready"] == FILES and state["requeued"] == 0
    again = run_hearth(["ingest", str(more)], cli_env)
    assert again.returncode == 0, again.stderr


def many_chunks(folder: Path, tag: str, files: int = 20, paragraphs: int = 60) -> int:
    """Write files of many short sections (one chunk each); return the document count."""
    folder.mkdir()
    for n in range(files):
        body = "\n\n".join(
            f"## {tag} {n}.{p}\n\n" + f"{tag} section {n}.{p} talks about harbor engines. " * 40
            for p in range(paragraphs)
        )
        (folder / f"{tag}{n}.md").write_text(f"# {tag} {n}\n\n{body}")
    return files


async def _read_then_write(data: Path, docs: Path, late: Path, env: dict[str, str]) -> None:
    """Open the store while another process holds the lock, search it (chromadb loads its
    vector index into memory), let `hearth ingest DOCS` write thousands of vectors, then
    write from this process."""
    ctx = bootstrap(str(data), env=env)
    async with await Services.open(ctx) as services:
        with lock_holder(data) as holder:
            knowledge = await services.knowledge()
            assert not knowledge.writable, "the other process holds the lock"
            hits = await knowledge.retriever.search("harbor engine", "default", k=5)
            assert hits, "the reader sees what the first run made ready"
            with pytest.raises(StoreBusy, match=f"hearth ingest \\(process {holder.pid}"):
                await knowledge.kbs.create("another")
        writer = await asyncio.to_thread(run_hearth, ["ingest", str(docs)], env)
        assert writer.returncode == 0, writer.stderr
        summary = await knowledge.ingest.ingest([late], "default")
        assert summary.failed == 0
        assert knowledge.writable


def test_a_reader_that_becomes_the_writer_keeps_the_other_process_vectors(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    """Thousands of vectors on each side (chromadb only rewrites its index files past a
    threshold): without re-opening the store, the other process's vectors are lost."""
    data = Path(cli_env["HEARTH_DATA_DIR"])
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    ctx = bootstrap(str(data), env=env)
    ctx.settings.embedding.embedder = "ollama:nomic-embed-text"
    ctx.save_settings()
    early, docs, late = tmp_path / "early", tmp_path / "docs", tmp_path / "late"
    total = many_chunks(early, "early") + many_chunks(docs, "docs") + many_chunks(late, "late")
    assert run_hearth(["ingest", str(early)], env).returncode == 0
    asyncio.run(_read_then_write(data, docs, late, env))
    state = audit(data, env)
    assert state["consistent"], state["problems"]
    assert state["ready"] == total


def test_a_reading_command_leaves_the_store_free_for_a_writer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """`hearth mcp` may run for hours beside the window: it must not hold the write lock."""
    data = Path(cli_env["HEARTH_DATA_DIR"])

    async def read_while_another_writes() -> None:
        ctx = bootstrap(str(data), env=cli_env, reads_only=True)
        async with await Services.open(ctx) as services:
            knowledge = await services.knowledge()
            assert not knowledge.writable and knowledge.recovery is None
            with lock_holder(data, "the Hearth window") as holder:
                assert holder.poll() is None
                with pytest.raises(StoreBusy, match="the Hearth window"):
                    await knowledge.kbs.create("notes")

    asyncio.run(read_while_another_writes())
