"""`hearth --version`, `--help` and the parsing of every command import nothing heavy: the
window's Qt, the stores, the embedder and the composition root's libraries wait until a
command runs (checked in a fresh interpreter, by what is in `sys.modules`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
HEAVY = (
    "PySide6",
    "qasync",
    "chromadb",
    "onnxruntime",
    "numpy",
    "tokenizers",
    "httpx",
    "pydantic",
    "keyring",
    "desktop.app",
    "desktop.knowledge",
)
PROBE = """
import json, sys
from desktop.cli import build_parser, main
argv = json.loads(sys.argv[1])
if argv[0] in ("--version", "--help"):
    code = main(argv)
else:
    build_parser().parse_args(argv)
    code = 0
heavy = json.loads(sys.argv[2])
print(json.dumps([code, sorted(m for m in heavy if m in sys.modules)]))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["search", "a question"],
        ["ingest", "notes"],
        ["ask", "a question"],
        ["config", "set", "provider.mode", "local"],
        ["key", "status"],
        ["status"],
        ["watch", "notes"],
        ["history", "list"],
        ["models", "list"],
        ["claude-env"],
    ],
)
def test_parsing_imports_nothing_heavy(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    code, loaded = json.loads(result.stdout.splitlines()[-1])
    assert code == 0
    assert loaded == []


def test_http_client_comes_without_its_command_line() -> None:
    probe = (
        "import sys\n"
        "import desktop.providers.ollama\n"
        "print(sorted(m for m in ('rich', 'click', 'pygments') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]"]
