"""The built bundle: build it, check its size, run its commands on every kind of file the
source install reads (OCR included), open its window offscreen and on a virtual screen
through the installed menu entry (what a double-click runs), and close it cleanly."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from bench.bundle_size import breakdown
from tests.e2e.test_process import open_and_terminate
from tests.fakes.ollama_server import FakeOllama
from tests.integration.ingest import samples
from tests.integration.ingest.test_ocr import CHINESE, HAN
from tests.integration.ingest.test_ocr import page as ocr_page
from tests.packaging.test_linux_integration import apt, build_deb, needs_apt

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "hearth"
# Measured 650.0 MB (bench/bundle_size.py); the margin allows for the system libraries
# that the build copies in, which differ a little from one distribution to another.
SIZE_LIMIT = 665 * 10**6
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def bundle() -> Path:
    subprocess.run(
        [str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=1100,
    )
    assert (BUNDLE / "hearth").is_file()
    return BUNDLE / "hearth"


def test_bundle_stays_within_its_size(bundle: Path) -> None:
    """The size follows from the lock file, the spec and the build machine's system
    libraries, so a change that brings in a library or a model Hearth does not use shows
    here (breakdown: docs/benchmarks.md)."""
    sizes = breakdown(BUNDLE)
    assert sum(sizes.values()) <= SIZE_LIMIT, {k: round(v / 1e6, 1) for k, v in sizes.items()}


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh virtual screen on a free display number (Xvfb picks it)."""
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        pytest.skip("Xvfb and xwininfo are needed")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def make_docs(root: Path) -> Path:
    """A folder with one file of each kind the bundle must still read: Markdown, plain text
    in Russian, a PDF with a text layer, a scanned Chinese page in a PDF (only OCR reads
    it), and a Word document."""
    root.mkdir()
    (root / "tea.md").write_text("# Tea\n\nGreen tea is steeped at 80 degrees for two minutes.\n")
    (root / "ru.txt").write_text("Кошки спят шестнадцать часов в день.\n")
    (root / "lighthouse.pdf").write_bytes(
        samples.pdf_bytes(["The lighthouse keeper counted forty ships in May."])
    )
    ocr_page(CHINESE, HAN).save(root / "scan.pdf")
    document = docx.Document()
    document.add_paragraph("The orchard grows seven kinds of plums.")
    document.save(str(root / "orchard.docx"))
    return root


def run_bundle(
    bundle: Path, args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(bundle), *args], env=env, input=stdin, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done


def best_hits(bundle: Path, queries: list[str], env: dict[str, str], folder: Path) -> list[Any]:
    """The best passage for each query, from one `search --batch` run (one model load)."""
    batch = folder / "queries.jsonl"
    batch.write_text(
        "".join(json.dumps({"_id": str(n), "text": q}) + "\n" for n, q in enumerate(queries))
    )
    rows = run_bundle(bundle, ["search", "--batch", str(batch), "-k", "1"], env).stdout
    return [row["results"][0] for row in map(json.loads, rows.splitlines())]


def mcp_session(*messages: tuple[str, dict[str, object]]) -> str:
    lines = [
        {"jsonrpc": "2.0", "id": n, "method": m, "params": p} for n, (m, p) in enumerate(messages)
    ]
    lines.insert(1, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    return "".join(json.dumps(line) + "\n" for line in lines)


def test_bundle_commands(bundle: Path, tmp_path: Path, fake_ollama: FakeOllama) -> None:
    """Everything the source install's commands do, done by the bundle: its PDF readers,
    OCR models, Word reader, embedder, index, answers with citations and MCP server."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "HEARTH_DATA_DIR": str(tmp_path / "data"),
        "OLLAMA_HOST": fake_ollama.url,
    }
    version = run_bundle(bundle, ["--version"], env)
    assert version.stdout.strip() == "hearth 0.1.0"
    docs = make_docs(tmp_path / "docs")
    ingested = run_bundle(bundle, ["ingest", str(docs)], env)
    assert "5 indexed, 0 unchanged, 0 failed" in ingested.stderr

    tea, cats, ships, scan, plums = best_hits(
        bundle,
        [
            "green tea temperature",
            "how long do cats sleep",
            "how many ships did the lighthouse keeper count",
            "叶绿体",
            "what grows in the orchard",
        ],
        env,
        tmp_path,
    )
    assert tea["source"] == str(docs / "tea.md")
    # The bundled embedder is multilingual: an English question finds the Russian text.
    assert cats["source"] == str(docs / "ru.txt")
    assert ships["source"] == str(docs / "lighthouse.pdf") and ships["page"] == 1
    # A Chinese page goes to RapidOCR alone (Tesseract re-reads only non-Chinese pages).
    assert scan["source"] == str(docs / "scan.pdf") and scan["page"] == 1
    assert "".join(CHINESE[0].split()) in "".join(scan["text"].split())
    assert plums["source"] == str(docs / "orchard.docx")
    assert plums["text"] == "The orchard grows seven kinds of plums."

    ask = ["ask", "How many kinds of plums grow in the orchard?", "--model", "llama3.2"]
    answer = json.loads(run_bundle(bundle, [*ask, "--provider", "local", "--json"], env).stdout)
    assert "[1]" in answer["answer"] and answer["error"] is None
    assert answer["sources"][0]["n"] == 1
    assert answer["sources"][0]["source"] == str(docs / "orchard.docx")

    session = mcp_session(
        ("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": {"name": "test", "version": "1"}}),
        ("tools/call", {"name": "search_knowledge_base",
                        "arguments": {"query": "plums in the orchard"}}),
    )  # fmt: skip
    served = run_bundle(bundle, ["mcp", "--kb", "default"], env, stdin=session)
    answers = {m["id"]: m for m in map(json.loads, served.stdout.splitlines())}
    assert answers[0]["result"]["serverInfo"]["name"] == "hearth"
    assert answers[1]["result"]["isError"] is False
    assert str(docs / "orchard.docx") in answers[1]["result"]["content"][0]["text"]


def test_bundle_window_offscreen(bundle: Path, tmp_path: Path) -> None:
    assert open_and_terminate([str(bundle)], tmp_path / "data") == 0


def open_from_menu_entry(entry: Path, env: dict[str, str], display: str, data: Path) -> None:
    """Run the entry's Exec line as a desktop would, wait for the window on the screen,
    then close it with SIGTERM and expect a clean exit."""
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    command = [part for part in shlex.split(exec_line.removeprefix("Exec=")) if part != "%F"]
    run_env = {**env, "DISPLAY": display, "HEARTH_DATA_DIR": str(data), "QT_QPA_PLATFORM": "xcb"}
    proc = subprocess.Popen(
        command, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        shown = False
        while time.monotonic() < deadline and not shown:
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree"],
                env=run_env,
                capture_output=True,
                text=True,
                check=False,
            )
            shown = '"Hearth"' in tree.stdout
            time.sleep(0.2)
        assert shown, "no Hearth window on the screen"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_installed_menu_entry_opens_the_window(bundle: Path, tmp_path: Path, display: str) -> None:
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    subprocess.run(
        [str(ROOT / "packaging" / "linux" / "install.sh"), str(BUNDLE)],
        env=env,
        check=True,
        capture_output=True,
    )
    entry = home / ".local/share/applications/hearth.desktop"
    open_from_menu_entry(entry, env, display, tmp_path / "data")


@needs_apt
def test_debian_package_opens_the_window_from_its_menu_entry(
    bundle: Path, tmp_path: Path, display: str
) -> None:
    deb = build_deb(BUNDLE, tmp_path / "out")
    apt("install", str(deb))
    try:
        env = {"HOME": str(tmp_path / "home"), "PATH": os.environ["PATH"]}
        open_from_menu_entry(
            Path("/usr/share/applications/hearth.desktop"), env, display, tmp_path / "data"
        )
        version = subprocess.run(["hearth", "--version"], capture_output=True, text=True, env=env)
        assert version.stdout.strip() == "hearth 0.1.0"
    finally:
        apt("remove", "hearth")
    assert not Path("/opt/hearth").exists()
