"""The window as assistive technology sees it, over the real accessibility bus (AT-SPI).

A private D-Bus session, Xvfb, the AT-SPI bus and the app as a separate process; a walker
in the system Python (pyatspi) goes through the main window, presses Models and Settings
through their accessible actions, walks each dialog they open and closes it. Any control a
person acts on that has no accessible name fails the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.ollama_server import FakeOllama

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
SESSION = HERE.parent / "ui" / "atspi" / "session.py"
# Roles a person acts on: each needs a name (what a screen reader says). Scroll bars, rows
# and cells belong to a named control and are named by it or by their content.
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "entry",
    "list",
    "tree",
    "tree table",
    "table",
    "page tab",
    "page tab list",
    "spin button",
    "slider",
    "progress bar",
    "menu item",
    "link",
}


def _missing_tools() -> str:
    for tool in ("Xvfb", "dbus-run-session", "/usr/libexec/at-spi-bus-launcher"):
        if shutil.which(tool) is None:
            return tool
    probe = subprocess.run(
        ["/usr/bin/python3", "-c", "import pyatspi"], capture_output=True, check=False
    )
    return "" if probe.returncode == 0 else "python3-pyatspi"


def test_every_control_is_named_on_the_accessibility_bus(
    fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    missing = _missing_tools()
    if missing:
        pytest.skip(f"{missing} is not installed (./bootstrap.sh test installs it)")
    data = tmp_path / "data"
    data.mkdir()
    (data / "window.json").write_text('{"welcomed": true}', encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OLLAMA_HOST": fake_ollama.url}
    walked = subprocess.run(
        ["dbus-run-session", "--", sys.executable, str(SESSION), str(data), "Models", "Settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The walker's JSON is the last line (the bus's registry daemon says hello first).
    lines = walked.stdout.splitlines()
    assert walked.returncode == 0 and lines and lines[-1].startswith("["), walked.stderr[-2000:]
    nodes = json.loads(lines[-1])
    windows = {node["window"] for node in nodes}
    assert windows == {"", "Models", "Settings"}, "each dialog opened through its action"
    roles = {node["role"] for node in nodes}
    assert {"push button", "combo box", "tree", "page tab"} <= roles
    unnamed = [
        f"{node['window'] or 'main window'}: {node['path']}"
        for node in nodes
        if node["role"] in INTERACTIVE and not node["name"]
    ]
    assert not unnamed, "\n".join(unnamed)
