"""`hearth mcp` answers `initialize` and `tools/list` before anything heavy is loaded.

No timing: the server runs with the heavy libraries made unimportable, so any answer that
needed one of them would fail. The knowledge base, which does need them, then reports its
failure as a tool error instead of leaving the client waiting.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT

pytestmark = pytest.mark.integration

HEAVY = ("chromadb", "onnxruntime", "onnx", "tokenizers", "numpy", "PySide6", "mcp", "httpx")

PROBE = """
import importlib.abc, sys
HEAVY = {heavy!r}
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            raise ImportError(f"{{name}} is refused by the probe")
        return None
sys.meta_path.insert(0, Refuse())
from desktop.entry import main
sys.exit(main(["mcp", "--kb", "home"]))
"""


def request(n: int, method: str, params: dict[str, object]) -> str:
    return json.dumps({"jsonrpc": "2.0", "id": n, "method": method, "params": params}) + "\n"


def test_initialize_and_tools_need_no_heavy_import(tmp_path: Path, cli_env: dict[str, str]) -> None:
    messages = (
        request(
            1,
            "initialize",
            {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "probe", "version": "1"},
            },
        )
        + json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"})
        + "\n"
        + request(2, "tools/list", {})
        + request(3, "tools/call", {"name": "search_knowledge_base", "arguments": {"query": "x"}})
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        input=messages,
        capture_output=True,
        text=True,
        env=cli_env,
        cwd=ROOT,
        timeout=60,
    )
    answers = {m["id"]: m for m in map(json.loads, proc.stdout.splitlines())}
    assert answers[1]["result"]["protocolVersion"] == "2025-06-18", proc.stderr
    assert answers[1]["result"]["serverInfo"]["name"] == "hearth"
    names = {t["name"] for t in answers[2]["result"]["tools"]}
    assert names == {"search_knowledge_base", "list_knowledge_bases", "read_document"}
    # The store could not open without its libraries: the call says so, it does not hang.
    assert answers[3]["result"]["isError"] is True
    assert "refused by the probe" in proc.stderr
