"""`hearth ingest|search|ask|kb` on real files, the real embedder and the fake server."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from tests.fakes.ollama_server import FakeModel, FakeOllama
from tests.fakes.plugin import CLOUD_KEY
from tests.integration.cli.test_history_cli import _at_a_terminal
from tests.integration.conftest import run_hearth, start_hearth

pytestmark = pytest.mark.integration


def make_docs(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "cats.md").write_text(
        "# Cats\n\nCats sleep about sixteen hours a day.\n\n## Food\n\nCats eat fish and mice.\n"
    )
    (root / "sub").mkdir()
    (root / "sub" / "dogs_ru.txt").write_text("Собаки любят гулять в парке каждый день.\n")
    (root / "sub" / "ml_zh.txt").write_text(
        "机器学习是人工智能的一个分支，它让计算机从数据中学习。\n"
    )
    return root


def test_ingest_search_kb_round_trip(tmp_path: Path, cli_env: dict[str, str]) -> None:
    docs = make_docs(tmp_path / "docs")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    first = run_hearth(["ingest", str(docs), "--kb", "notes"], cli_env)
    assert first.returncode == 1  # one file failed
    last = first.stderr.splitlines()[-1]
    assert last.startswith(f"failed: {docs / 'broken.pdf'}: ") and "damaged" in last
    assert "3 indexed, 0 unchanged, 1 failed" in first.stderr
    again = run_hearth(["ingest", str(docs / "cats.md"), "--kb", "notes"], cli_env)
    assert again.returncode == 0 and "0 indexed, 1 unchanged" in again.stderr

    hits = json.loads(
        run_hearth(["search", "how long do cats sleep", "--kb", "notes", "--json"], cli_env).stdout
    )
    assert hits[0]["source"] == str(docs / "cats.md")
    assert hits[0]["text"] == "Cats sleep about sixteen hours a day."
    assert hits[0]["heading"] == ["Cats"]
    assert {"rank", "score", "source", "page", "chunk_id", "text"} <= set(hits[0])
    # Where the passage stands, for other tools to highlight it: typed text, not OCR.
    assert hits[0]["end"] - hits[0]["start"] == len(hits[0]["text"])
    assert (hits[0]["ocr"], hits[0]["regions"]) == (False, [])
    # A Russian question finds the Russian passage, a Chinese one the Chinese passage.
    ru = json.loads(
        run_hearth(
            ["search", "собака в парке", "--kb", "notes", "--json", "-k", "1"], cli_env
        ).stdout
    )
    assert ru[0]["source"].endswith("dogs_ru.txt")
    zh = json.loads(
        run_hearth(["search", "机器学习", "--kb", "notes", "--json", "-k", "1"], cli_env).stdout
    )
    assert zh[0]["source"].endswith("ml_zh.txt")

    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"_id": "q1", "text": "what do cats eat"}\n'
        '{"_id": "q2", "text": "computer learns from data"}\n'
    )
    batch = run_hearth(["search", "--batch", str(queries), "--kb", "notes", "-k", "2"], cli_env)
    rows = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [r["query_id"] for r in rows] == ["q1", "q2"]
    assert rows[0]["results"][0]["text"] == "Cats eat fish and mice."
    assert len(rows[1]["results"]) == 2

    listed = run_hearth(["kb", "list"], cli_env)
    assert "notes: 4 documents (1 failed, 3 ready), 4 chunks" in listed.stdout
    reindexed = run_hearth(["kb", "reindex", "notes"], cli_env)
    assert "Re-indexed 3 documents" in reindexed.stderr
    # remove: refused without a terminal to ask unless --yes; then gone.
    refused = run_hearth(["kb", "remove", "notes"], cli_env, stdin="")
    assert refused.returncode == 1
    assert "error: Refusing to delete knowledge base 'notes' without confirmation." in (
        refused.stderr
    )
    assert "hint: Add --yes to confirm." in refused.stderr
    assert "notes: 4 documents" in run_hearth(["kb", "list"], cli_env).stdout
    removed = run_hearth(["kb", "remove", "notes", "--yes"], cli_env)
    assert removed.returncode == 0
    gone = run_hearth(["search", "cats", "--kb", "notes"], cli_env)
    assert gone.returncode == 1 and "error:" in gone.stderr


def test_ask_streams_an_answer_with_sources(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    docs = make_docs(tmp_path / "docs")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    assert run_hearth(["ingest", str(docs)], env).returncode == 0
    result = run_hearth(
        ["ask", "How long do cats sleep?", "--model", "llama3.2", "--provider", "local", "--json"],
        env,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["provider"] == "local" and answer["model"] == "llama3.2"
    assert "[1]" in answer["answer"]
    assert answer["sources"][0]["text"] == "Cats sleep about sixteen hours a day."
    source = answer["sources"][0]
    assert source["end"] - source["start"] == len(source["text"]) and source["ocr"] is False
    chat = fake_ollama.requests_to("/api/chat")[-1].json()
    assert chat["options"]["num_ctx"] == 8192
    assert "[1] (cats.md, section: Cats)" in chat["messages"][0]["content"]
    plain = run_hearth(
        ["ask", "How long do cats sleep?", "--model", "llama3.2", "--provider", "local"], env
    )
    assert "\n\nSources:\n[1] " in plain.stdout
    assert plain.stdout.index("[1]") < plain.stdout.index("Sources:")


def test_search_and_ask_across_several_knowledge_bases(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    docs = make_docs(tmp_path / "docs")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    assert run_hearth(["ingest", str(docs / "cats.md"), "--kb", "pets"], env).returncode == 0
    assert run_hearth(["ingest", str(docs / "sub"), "--kb", "world"], env).returncode == 0
    both = ["--kb", "pets", "--kb", "world"]
    hits = json.loads(
        run_hearth(["search", "cats sleep; 机器学习", *both, "-k", "3", "--json"], env).stdout
    )
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert {(h["kb"], Path(h["source"]).name) for h in hits[:2]} == {
        ("pets", "cats.md"),
        ("world", "ml_zh.txt"),
    }
    alone = json.loads(run_hearth(["search", "cats", "--kb", "world", "--json"], env).stdout)
    assert {h["kb"] for h in alone} == {"world"}
    fake_ollama.set_reply("Cats sleep [1]; machines learn [2].")
    ask = ["ask", "cats sleep; 机器学习", *both, "--model", "llama3.2", "--provider", "local"]
    answer = json.loads(run_hearth([*ask, "--json"], env).stdout)
    assert {s["kb"] for s in answer["sources"]} == {"pets", "world"}
    plain = run_hearth(ask, env)
    tail = plain.stdout[plain.stdout.index("Sources:") :].splitlines()
    assert sorted(line.split(" ", 1)[1].split(": ")[0] for line in tail[1:3]) == ["pets", "world"]
    missing = run_hearth(["ask", "cats", "--kb", "pets", "--kb", "nowhere"], env)
    assert missing.returncode == 1 and "nowhere" in missing.stderr


def test_kb_rename_keeps_documents_index_and_privacy(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    docs = make_docs(tmp_path / "docs")
    assert run_hearth(["ingest", str(docs / "cats.md"), "--kb", "pets"], cli_env).returncode == 0
    assert run_hearth(["ingest", str(docs / "sub"), "--kb", "world"], cli_env).returncode == 0
    marked = run_hearth(["config", "set", "privacy.local_only_kbs", '["pets"]'], cli_env)
    assert marked.returncode == 0, marked.stderr
    renamed = run_hearth(["kb", "rename", "pets", "Домашние животные"], cli_env)
    assert renamed.returncode == 0, renamed.stderr
    hits = json.loads(
        run_hearth(["search", "cats", "--kb", "Домашние животные", "--json"], cli_env).stdout
    )
    assert hits[0]["kb"] == "Домашние животные" and hits[0]["source"].endswith("cats.md")
    names = [kb["name"] for kb in json.loads(run_hearth(["kb", "list", "--json"], cli_env).stdout)]
    assert sorted(names) == ["world", "Домашние животные"]
    kept = run_hearth(["config", "get", "privacy.local_only_kbs", "--json"], cli_env)
    assert json.loads(kept.stdout) == ["Домашние животные"]
    taken = run_hearth(["kb", "rename", "world", "Домашние животные"], cli_env)
    assert taken.returncode == 1 and "already exists" in taken.stderr
    assert run_hearth(["search", "cats", "--kb", "pets"], cli_env).returncode == 1


def test_ask_lists_as_sources_only_what_the_answer_cites(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    docs = make_docs(tmp_path / "docs")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    assert run_hearth(["ingest", str(docs)], env).returncode == 0
    ask = ["ask", "How long do cats sleep?", "--model", "llama3.2", "--provider", "local"]
    fake_ollama.set_reply("The notes do not say.")
    plain = run_hearth(ask, env)
    assert plain.returncode == 0, plain.stderr
    assert "The notes do not say." in plain.stdout
    assert "Sources:" not in plain.stdout
    answer = json.loads(run_hearth([*ask, "--json"], env).stdout)
    assert answer["sources"] == []
    assert [s["n"] for s in answer["also_searched"]] == list(
        range(1, len(answer["also_searched"]) + 1)
    )
    assert answer["also_searched"], "the passages searched are still given"

    fake_ollama.set_reply("Sixteen hours [2]. Not a source [99].")
    answer = json.loads(run_hearth([*ask, "--json"], env).stdout)
    assert [s["n"] for s in answer["sources"]] == [2]
    assert 2 not in [s["n"] for s in answer["also_searched"]]
    plain = run_hearth(ask, env)
    tail = plain.stdout[plain.stdout.index("Sources:") :]
    assert tail.startswith("Sources:\n[2] ") and "[1]" not in tail and "[99]" not in tail


def test_ask_without_a_model_still_gives_passages(tmp_path: Path, cli_env: dict[str, str]) -> None:
    docs = make_docs(tmp_path / "docs")
    env = {**cli_env, "OLLAMA_HOST": "127.0.0.1:9"}
    assert run_hearth(["ingest", str(docs)], env).returncode == 0
    result = run_hearth(["ask", "cats sleep", "--model", "llama3.2", "--provider", "local"], env)
    assert result.returncode == 1
    assert result.stdout.startswith("Best passages:\n1. ")
    assert "cats.md" in result.stdout and "Cats sleep about sixteen hours a day." in result.stdout
    assert "There is no written answer" in result.stderr
    assert "hint: Is Ollama running?" in result.stderr


def test_a_bad_queries_file_is_named_before_anything_loads(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"_id": "q1", "text": "cats"}\n\n["not", "an", "object"]\n')
    result = run_hearth(["search", "--batch", str(queries)], cli_env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"error: Line 3 of {queries} is not a query object." in result.stderr
    assert 'hint: Each line must be JSON like {"_id": "q1", "text": "..."}.' in result.stderr


def test_ctrl_c_during_ingest_leaves_a_usable_store(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    docs = tmp_path / "many"
    docs.mkdir()
    for n in range(40):
        (docs / f"note{n:02d}.txt").write_text(f"Note {n}. " + "Cats and dogs sleep. " * 20)
    proc = start_hearth(["ingest", str(docs)], cli_env, stdout=subprocess.PIPE)
    assert proc.stderr is not None
    assert "files" in proc.stderr.readline()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "cancelled" in err and "Traceback" not in err
    assert "indexed," not in err  # stopped before the summary
    # The next run finishes the job: nothing half-written blocks or duplicates a file.
    again = run_hearth(["ingest", str(docs)], cli_env)
    assert again.returncode == 0, again.stderr
    listed = run_hearth(["kb", "list"], cli_env)
    assert listed.stdout.startswith("default: 40 documents (40 ready), ")


def test_ask_provider_cloud_is_consent_for_that_call_only(
    tmp_path: Path, cli_env: dict[str, str], fake_cloud: FakeOllama
) -> None:
    docs = make_docs(tmp_path / "docs")
    env = {
        **cli_env,
        "OLLAMA_HOST": "127.0.0.1:9",
        "HEARTH_CLOUD_URL": fake_cloud.url,
        "OLLAMA_API_KEY": CLOUD_KEY,
    }
    assert run_hearth(["ingest", str(docs), "--kb", "notes"], env).returncode == 0
    question = ["ask", "How long do cats sleep?", "--kb", "notes", "--json"]
    # Auto follows the saved setting (cloud off): nothing goes to the cloud.
    auto = run_hearth([*question, "--provider", "auto", "--model", "llama3.2"], env)
    assert auto.returncode == 1
    assert fake_cloud.requests_to("/api/chat") == []
    cloud = run_hearth([*question, "--provider", "cloud", "--model", "gpt-oss:120b"], env)
    assert cloud.returncode == 0, cloud.stderr
    answer = json.loads(cloud.stdout)
    assert answer["provider"] == "cloud" and answer["model"] == "gpt-oss:120b"
    assert len(fake_cloud.requests_to("/api/chat")) == 1
    assert CLOUD_KEY not in cloud.stdout + cloud.stderr
    # The consent was not saved.
    shown = run_hearth(["config", "get", "provider.cloud_enabled"], env)
    assert shown.stdout.strip() == "false"
    # A knowledge base marked never-to-cloud stays refused, even with --provider cloud.
    assert run_hearth(["config", "set", "privacy.local_only_kbs", '["notes"]'], env).returncode == 0
    refused = run_hearth([*question, "--provider", "cloud", "--model", "gpt-oss:120b"], env)
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["error"]["kind"] == "CloudNotAllowed"
    assert "never to be sent to the cloud" in refused.stderr
    assert len(fake_cloud.requests_to("/api/chat")) == 1


def test_ingest_accounts_for_every_file_it_was_given(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    docs = make_docs(tmp_path / "docs")
    (docs / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    (docs / "picture.gif").write_bytes(b"GIF89a\x01\x00\x01\x00")
    (docs / ".secret.md").write_text("hidden notes\n")
    (docs / "node_modules").mkdir()
    (docs / "node_modules" / "lib.js").write_text("module.exports = 1;\n")
    quiet = run_hearth(["ingest", str(docs), "--kb", "notes"], cli_env)
    assert quiet.returncode == 0, quiet.stderr
    summary = quiet.stderr.splitlines()[-1]
    assert summary.startswith("3 indexed, 0 unchanged, 0 failed, 4 skipped: ")
    for part in ("1 binary content", "1 hidden", "1 binary file type", "1 dependency or build"):
        assert part in summary
    assert "skipped: " + str(docs) not in quiet.stderr
    one = run_hearth(["ingest", str(docs), "--kb", "notes", "--verbose"], cli_env)
    assert "0 indexed, 3 unchanged, 0 failed, 4 skipped: " in one.stderr
    assert f"skipped: {docs / 'blob.txt'}: binary content" in one.stderr
    assert f"skipped: {docs / 'node_modules'}: dependency or build folder" in one.stderr
    assert f"skipped: {docs / '.secret.md'}: hidden" in one.stderr


@pytest.mark.timeout(300)  # four runs of the command, each indexing or answering
def test_ask_about_a_long_document_reads_it_in_parts_then_answers(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "\n\n".join(
            f"Section {n}. The harbour of town {n} handled {n * 1000} containers in spring, "
            f"mostly grain and timber, and its pilots worked {n + 3} shifts a week. " * 2
            for n in range(1, 11)
        )
    )
    small = tmp_path / "memo.md"
    small.write_text("# Memo\n\nThe board meets on Thursdays at nine.\n")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    # A model with a small context, so that a short report is already too long for it.
    fake_ollama.add_model(FakeModel("tiny", context_length=2048))
    ask = ["ask", "--model", "tiny", "--provider", "local", "--json"]

    whole = run_hearth([*ask, "When does the board meet?", "--document", str(small)], env)
    assert whole.returncode == 0, whole.stderr
    assert "included whole" in whole.stderr
    assert all(r.json()["stream"] for r in fake_ollama.requests_to("/api/chat"))

    result = run_hearth([*ask, "Summarise the report", "--document", str(report)], env)
    assert result.returncode == 0, result.stderr
    assert "Reading part 1 of " in result.stderr
    chats = [r.json() for r in fake_ollama.requests_to("/api/chat")]
    notes = [c for c in chats if not c["stream"]]
    assert len(notes) >= 2
    assert all("Take notes for this question" in c["messages"][-1]["content"] for c in notes)
    # Passage numbers run through the whole document: the second part starts after the first.
    assert '<source n="1" ' in notes[0]["messages"][0]["content"]
    assert '<source n="1" ' not in notes[1]["messages"][0]["content"]
    final = chats[-1]
    assert final["stream"] and "notes were taken from each part" in final["messages"][0]["content"]
    answer = json.loads(result.stdout)
    assert all(s["source"] == str(report) for s in answer["sources"] + answer["also_searched"])
    listed = run_hearth(["kb", "list"], env).stdout
    assert "2 documents" in listed  # both were indexed on the way


@pytest.mark.timeout(300)
def test_ask_compares_two_documents_and_cites_both(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama
) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "\n\n".join(
            f"Section {n}. The harbour of town {n} handled {n * 1000} containers in spring, "
            f"mostly grain and timber, and its pilots worked {n + 3} shifts a week. " * 2
            for n in range(1, 11)
        )
    )
    memo = tmp_path / "memo.md"
    memo.write_text("# Memo\n\nThe harbour board meets on Thursdays at nine.\n")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    fake_ollama.add_model(FakeModel("tiny", context_length=2048))
    result = run_hearth(
        [
            "ask",
            "Compare the memo with the report",
            "--model",
            "tiny",
            "--provider",
            "local",
            "--json",
            "--document",
            str(memo),
            "--document",
            str(report),
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    assert "note: Reading part 1 of " in result.stderr
    final = fake_ollama.requests_to("/api/chat")[-1].json()["messages"][0]["content"]
    assert '<source name="memo.md"' in final and '<source name="report.txt"' in final
    answer = json.loads(result.stdout)
    assert {s["source"] for s in answer["sources"]} == {str(memo), str(report)}


def test_ingest_json_accounts_for_every_file(tmp_path: Path, cli_env: dict[str, str]) -> None:
    docs = make_docs(tmp_path / "docs")
    (docs / ".secret.md").write_text("hidden notes\n")
    picture = tmp_path / "picture.gif"
    picture.write_bytes(b"GIF89a\x01\x00\x01\x00")
    result = run_hearth(["ingest", str(docs), str(picture), "--kb", "notes", "--json"], cli_env)
    assert result.returncode == 1  # the picture failed
    report = json.loads(result.stdout)
    assert (report["kb"], report["indexed"], report["unchanged"], report["failed"]) == (
        "notes",
        3,
        0,
        1,
    )
    assert report["chunks"] >= 3
    assert report["skipped"] == [{"path": str(docs / ".secret.md"), "reason": "hidden"}]
    assert [(f["path"], f["kind"]) for f in report["failures"]] == [
        (str(picture), "UnsupportedFile")
    ]
    assert "1 skipped: hidden" in result.stderr  # the summary line stays on stderr


def test_kb_remove_asks_at_a_terminal(tmp_path: Path, cli_env: dict[str, str]) -> None:
    docs = make_docs(tmp_path / "docs")
    assert run_hearth(["ingest", str(docs), "--kb", "notes"], cli_env).returncode == 0
    wrong = run_hearth(["kb", "remove", "nothes"], cli_env, stdin="")
    assert wrong.returncode == 1 and "nothes" in wrong.stderr and "Refusing" not in wrong.stderr
    kept = _at_a_terminal(["kb", "remove", "notes"], cli_env, b"n\n")
    assert "Delete knowledge base 'notes' (3 documents, 4 chunks) and its index? [y/N]" in kept
    assert "Nothing deleted." in kept and kept.endswith("exit 1")
    assert "notes: 3 documents" in run_hearth(["kb", "list"], cli_env).stdout
    gone = _at_a_terminal(["kb", "remove", "notes"], cli_env, b"y\n")
    assert "Removed knowledge base 'notes'." in gone and gone.endswith("exit 0")
    assert "notes" not in run_hearth(["kb", "list"], cli_env).stdout
