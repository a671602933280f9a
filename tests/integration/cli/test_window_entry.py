"""`hearth` without a command: the window's entry point gets the context and the services."""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from desktop.app import Context, Services
from desktop.cli import main
from tests.fakes.ollama_server import FakeOllama

pytestmark = pytest.mark.integration


def test_window_gets_the_context_and_opens_the_services(
    fake_ollama: FakeOllama,
    cli_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", fake_ollama.url)
    seen: dict[str, object] = {}

    def run(
        ctx: Context, open_services: Callable[[], Awaitable[Services]], files: list[str]
    ) -> int:
        async def session() -> None:
            services = await open_services()
            try:
                seen["status"] = await services.local.status()
                seen["cloud"] = services.cloud
            finally:
                await services.aclose()

        seen["data_dir"] = ctx.paths.data_dir
        seen["files"] = list(files)
        asyncio.run(session())
        return 7

    window = types.ModuleType("desktop.ui.main")
    window.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.ui.main", window)
    assert main(["--data-dir", str(tmp_path / "win")]) == 7
    assert seen["data_dir"] == tmp_path / "win"
    assert seen["files"] == []
    assert getattr(seen["status"], "reachable", None) is True
    assert getattr(seen["status"], "version", None) == "0.33.0"
    assert seen["cloud"] is None  # no key, no cloud client
    assert fake_ollama.requests_to("/api/version")


def test_files_on_the_command_line_go_to_the_window(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[object] = []
    window = types.ModuleType("desktop.ui.main")
    window.run = lambda ctx, open_services, files: seen.append(list(files)) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.ui.main", window)
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF-1.4")
    assert main(["--data-dir", str(tmp_path / "d"), str(doc), str(tmp_path)]) == 0
    assert seen == [[str(doc), str(tmp_path)]]
    assert main(["no-such-command-or-file"]) == 2
