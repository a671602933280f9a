"""The window as assistive technology sees it, over the real accessibility bus.

Screen readers (Orca) and GUI test tools (Accerciser, Dogtail) reach a Linux application
through AT-SPI on D-Bus, not through Qt. Here the window runs as a real process on Xvfb,
with a private D-Bus session and its own accessibility bus, over the fake Ollama server and
a real document; tests/e2e/atspi_walker.py (run by the system Python, which has the AT-SPI
bindings) reads it and acts on it as a screen reader would. Every control a person acts on
has a name, a role and an action; the conversation's sources, Copy, Regenerate, Edit and
Retry are found and pressed through the bus, and what they do shows on the bus.

Needs Xvfb, dbus-daemon, at-spi2-core and the system Python's AT-SPI bindings (Debian:
xvfb dbus at-spi2-core python3-gi gir1.2-atspi-2.0, which `./bootstrap.sh test` installs);
skips, saying which is missing, only when one of them is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import local_models

ROOT = Path(__file__).resolve().parents[2]
WALKER = Path(__file__).with_name("atspi_walker.py")
SYSTEM_PYTHON = "/usr/bin/python3"
# D-Bus starts the AT-SPI bus launcher from this service file when it is first asked for.
A11Y_BUS_SERVICE = "org.a11y.Bus.service"
DBUS_SERVICES = ("/usr/share/dbus-1/services", "/usr/local/share/dbus-1/services")
APP = "Hearth"
SCREEN = "1280x860x24"
QUESTION = "Who planted the orchard?"
# A wait gives up only after this long; it returns as soon as its condition holds.
WAIT_S = float(os.environ.get("HEARTH_TEST_WAIT_MS", "90000")) / 1000

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

T = TypeVar("T")
Node = dict[str, Any]

# Roles a person acts on: each needs a name (what a screen reader says) and an action.
CONTROL_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "entry",
    "password text",
    "spin button",
    "slider",
    "list",
    "list box",
    "tree",
    "tree table",
    "table",
    "page tab",
    "page tab list",
    "menu",
    "menu item",
    "check menu item",
    "radio menu item",
    "link",
}
# Pressed, not typed into or moved through: they need an action besides taking focus.
PRESSED_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "page tab",
    "menu item",
    "check menu item",
    "radio menu item",
    "link",
}
NO_ROLE = {"unknown", "invalid"}


def missing_system_parts() -> list[str]:
    missing = [
        f"{tool} ({package})"
        for tool, package in (("Xvfb", "xvfb"), ("dbus-daemon", "dbus"))
        if shutil.which(tool) is None
    ]
    if not any(Path(folder, A11Y_BUS_SERVICE).exists() for folder in DBUS_SERVICES):
        missing.append("the AT-SPI bus launcher (at-spi2-core)")
    probe = "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"
    if (
        not Path(SYSTEM_PYTHON).exists()
        or subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, check=False).returncode
    ):
        missing.append(f"AT-SPI bindings for {SYSTEM_PYTHON} (python3-gi, gir1.2-atspi-2.0)")
    return missing


def wait_for(what: str, check: Callable[[], T], timeout: float = WAIT_S) -> T:
    """Poll `check` until what it returns is true (a node, some text); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout:.0f} s: {what}")
        time.sleep(0.05)


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start(stack: ExitStack, command: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
    """A process stopped (and its pipes closed) when `stack` closes."""
    proc = stack.enter_context(subprocess.Popen(command, **kwargs))
    stack.callback(stop, proc)
    return proc


class Walker:
    """The screen reader's side: requests to atspi_walker.py, answers as JSON."""

    def __init__(self, proc: subprocess.Popen[str], log: Path) -> None:
        self.proc = proc
        self.log = log

    def request(self, op: str, **fields: Any) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"op": op, "app": APP, **fields}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the walker stopped: {self.log.read_text(encoding='utf-8')}"
        return json.loads(line)

    def apps(self) -> list[str]:
        return list(self.request("apps")["apps"])

    def windows(self) -> list[Node]:
        """The application's showing windows (not walked)."""
        reply = self.request("windows")
        assert "error" not in reply, reply["error"]
        return [w for w in reply["windows"] if "showing" in w["states"]]

    def tree(self, window: str | None = None) -> list[Node]:
        """The application's showing windows (or the one titled `window`), walked."""
        reply = self.request("tree", name=window)
        assert "error" not in reply, reply["error"]
        return [w for w in reply["windows"] if "showing" in w["states"]]

    def find(self, role: str, name: str | None = None, prefix: str | None = None) -> list[Node]:
        reply = self.request("find", role=role, name=name, prefix=prefix)
        assert "error" not in reply, reply["error"]
        return list(reply["found"])

    def one(self, role: str, name: str | None = None, prefix: str | None = None) -> Node | None:
        found = self.find(role, name, prefix)
        return found[0] if found else None

    def act(self, role: str, name: str, action: str | None = None) -> None:
        reply = self.request("act", role=role, name=name, action=action)
        assert "error" not in reply, reply["error"]

    def set_text(self, role: str, name: str, text: str) -> None:
        reply = self.request("set_text", role=role, name=name, text=text)
        assert "error" not in reply, reply["error"]

    def paste(self, role: str, name: str) -> None:
        reply = self.request("paste", role=role, name=name)
        assert "error" not in reply, reply["error"]

    def text(self, role: str, name: str) -> str:
        node = self.one(role, name)
        assert node is not None, f"no showing {role} {name!r}"
        return str(node["text"])


class Desktop:
    """The window as a process on Xvfb, with a private D-Bus session and accessibility bus."""

    def __init__(self, stack: ExitStack, tmp: Path, fake: FakeOllama) -> None:
        self.log = tmp / "window.log"
        display = self._xvfb(stack)
        session = start(
            stack,
            ["dbus-daemon", "--session", "--nofork", "--print-address"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert session.stdout is not None
        address = session.stdout.readline().strip()  # written once the bus takes connections
        assert address, "dbus-daemon did not start"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.lower().endswith("_proxy") and not k.startswith(("OLLAMA_", "HEARTH_"))
        }
        env.update(
            DISPLAY=display,
            DBUS_SESSION_BUS_ADDRESS=address,
            HOME=str(tmp),
            QT_QPA_PLATFORM="xcb",
            QT_ACCESSIBILITY="1",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            OLLAMA_HOST=fake.url,
        )
        env.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        # The walker's first request starts the accessibility bus (D-Bus activates
        # at-spi-bus-launcher, which starts the registry); the window joins it at start-up.
        walker_log = tmp / "walker.log"
        walker = start(
            stack,
            [SYSTEM_PYTHON, str(WALKER)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stack.enter_context(walker_log.open("w", encoding="utf-8")),
            text=True,
        )
        self.walker = Walker(walker, walker_log)
        assert APP not in self.walker.apps()
        docs = tmp / "docs"
        docs.mkdir()
        (docs / "orchard.md").write_text(
            "# Orchard\n\nThe orchard was planted in 1952 by the miller's daughter.\n",
            encoding="utf-8",
        )
        self.window = start(
            stack,
            [sys.executable, "-m", "desktop", "--data-dir", str(tmp / "data"), str(docs)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stack.enter_context(self.log.open("w", encoding="utf-8")),
        )
        wait_for("the window on the accessibility bus", self._on_bus)

    @staticmethod
    def _xvfb(stack: ExitStack) -> str:
        """Xvfb on a display it chose (free), once it takes connections."""
        read, write = os.pipe()
        try:
            start(
                stack,
                ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                pass_fds=[write],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            os.close(write)
            write = -1
            # The number, then a newline, in two writes: read both before closing our end
            # (Xvfb exits when its second write fails).
            number = b""
            while not number.endswith(b"\n") and (chunk := os.read(read, 64)):
                number += chunk
        finally:
            os.close(read)
            if write != -1:
                os.close(write)
        assert number.strip(), "Xvfb did not start"
        return f":{number.decode().strip()}"

    def _on_bus(self) -> bool:
        if self.window.poll() is not None:
            raise AssertionError(f"the window exited: {self.log.read_text(encoding='utf-8')}")
        return APP in self.walker.apps()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=local_models()) as server:
        server.add_pullable("tinyllama")
        yield server


@pytest.fixture(scope="module")
def desktop(fake: FakeOllama, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """The window with one indexed document and one cited answer, asked through the bus."""
    missing = missing_system_parts()
    if missing:
        pytest.skip("the accessibility bus needs " + ", ".join(missing))
    with ExitStack() as stack:
        desk = Desktop(stack, tmp_path_factory.mktemp("a11y"), fake)
        bus = desk.walker
        wait_for("the document indexed", lambda: bus.one("label", prefix="1 ready"))
        bus.set_text("text", "Question", QUESTION)
        bus.act("push button", "Send question", "Press")
        wait_for("the answer's sources", lambda: bus.one("push button", "Sources (1)"))
        yield desk


def problems(node: Node, path: str = "") -> Iterator[str]:
    """What a screen reader could not say or do: a control without a name, a role or an
    action, anywhere under `node` that is showing."""
    here = f"{path}/{node['role']}"
    if "showing" not in node["states"]:
        return
    actions = [a for a in node["actions"] if a != "SetFocus"]
    interactive = node["role"] in CONTROL_ROLES or "focusable" in node["states"] or actions
    # Scroll bars are named by the view they scroll (and move with its keys).
    if interactive and node["role"] != "scroll bar":
        label = f"{here} {node['name']!r}"
        if node["role"] in NO_ROLE:
            yield f"{label}: no role"
        if not node["name"].strip():
            yield f"{label}: no name"
        if "enabled" not in node["states"]:
            pass  # nobody can act on a disabled control; Qt offers it no action
        elif not node["actions"]:
            yield f"{label}: no action"
        elif node["role"] in PRESSED_ROLES and not actions:
            yield f"{label}: cannot be pressed (only {node['actions']})"
    elif node["role"] == "invalid":
        yield f"{here}: invalid role"
    for child in node["children"]:
        yield from problems(child, here)


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from walk(node["children"])


def title(dialog: str) -> str:
    """A dialog's window title: Qt adds the application's display name."""
    return f"{dialog} \N{EM DASH} {APP}"


def shown(bus: Walker, dialog: str) -> bool:
    return any(w["name"] == title(dialog) for w in bus.windows())


def open_dialog(bus: Walker, button: str, dialog: str) -> None:
    bus.act("push button", button, "Press")
    wait_for(dialog, lambda: shown(bus, dialog))


def close_dialog(bus: Walker, dialog: str, button: str) -> None:
    bus.act("push button", button, "Press")
    wait_for(f"{dialog} closed", lambda: not shown(bus, dialog))


def walked(bus: Walker, dialog: str) -> Node:
    windows = bus.tree(title(dialog))
    assert len(windows) == 1, [w["name"] for w in windows]
    return windows[0]


def every_page(bus: Walker, dialog: str) -> list[str]:
    """The problems on each page of a dialog, its tabs pressed through the bus."""
    shown = walked(bus, dialog)
    found = list(problems(shown))
    tabs = [n for n in walk([shown]) if n["role"] == "page tab"]
    for tab in (t["name"] for t in tabs if "selected" not in t["states"]):
        bus.act("page tab", tab, "Press")
        wait_for(f"the {tab} page", lambda name=tab: selected(bus, name))
        found += problems(walked(bus, dialog))
    return found


def selected(bus: Walker, tab: str) -> bool:
    node = bus.one("page tab", tab)
    return node is not None and "selected" in node["states"]


def test_every_control_has_a_name_a_role_and_an_action(desktop: Desktop) -> None:
    bus = desktop.walker
    bus.set_text("text", "Search conversations", "orchard")  # shows the field's clear button
    wait_for("the clear button", lambda: bus.one("push button", "Clear search"))
    found = [p for window in bus.tree("Hearth") for p in problems(window)]
    bus.act("push button", "Clear search", "Press")
    wait_for("the search cleared", lambda: bus.text("text", "Search conversations") == "")

    open_dialog(bus, "Settings", "Settings")
    found += every_page(bus, "Settings")
    close_dialog(bus, "Settings", "Cancel")

    open_dialog(bus, "Models", "Models")
    bus.set_text("text", "Model to pull", "tinyllama")
    bus.act("push button", "Pull", "Press")
    progress = wait_for("the pull's layers", lambda: bus.one("tree", "Pull progress by layer"))
    found += every_page(bus, "Models")
    close_dialog(bus, "Models", "Close")

    assert not found, "\n".join(found)
    assert progress["rows"] > 0  # the pull's layers are listed under that name


def test_the_answers_sources_open_from_the_bus(desktop: Desktop) -> None:
    bus = desktop.walker
    # The conversation is text to a screen reader: Qt offers no hyperlinks on the bus (were
    # it to, each would need an action). The chips' sources are in the Sources menu below.
    conversation = bus.one("label", "Conversation")
    assert conversation is not None
    assert all(link["actions"] for link in conversation["links"] or [])
    assert QUESTION in conversation["text"] and "[1]" in conversation["text"]
    bus.act("push button", "Sources (1)", "ShowMenu")
    wait_for("the sources menu", lambda: bus.one("menu item", "[1] orchard.md"))
    bus.act("menu item", "[1] orchard.md")
    wait_for("the passage", lambda: shown(bus, "Source [1]"))
    preview = walked(bus, "Source [1]")
    assert not list(problems(preview))
    # The source view shows the cited note's text, the passage in it.
    passage = next(n for n in walk([preview]) if n["name"] == "Document text")
    assert "planted in 1952 by the miller's daughter" in passage["text"]
    close_dialog(bus, "Source [1]", "Close")


def test_copy_edit_retry_and_regenerate_are_pressed_through_the_bus(
    desktop: Desktop, fake: FakeOllama
) -> None:
    bus = desktop.walker
    edit = "Edit the question and send it again"
    assert bus.one("push button", "Try the failed answer again") is None
    bus.act("push button", "Copy the answer", "Press")

    def pasted() -> str:
        # Qt presses a button a moment after the request: paste until the copy has landed.
        bus.set_text("text", "Question", "")
        bus.paste("text", "Question")
        return bus.text("text", "Question")

    copied = wait_for("the answer on the clipboard", pasted)
    assert copied.startswith("Based on the sources") and "[1]" in copied
    assert copied in bus.text("label", "Conversation")

    bus.act("push button", edit, "Press")
    wait_for("the question in its box", lambda: bus.text("text", "Question") == QUESTION)

    fake.error_mid_stream(after_chunks=2)
    bus.act("push button", "Send question", "Press")
    wait_for("Retry", lambda: bus.one("push button", "Try the failed answer again"))
    assert bus.one("push button", "Write the answer again") is None
    bus.act("push button", "Try the failed answer again", "Press")
    wait_for(
        "the retried answer",
        lambda: (
            bus.one("push button", "Sources (1)")
            and not bus.one("push button", "Try the failed answer again")
        ),
    )

    asked = len(fake.requests_to("/api/chat"))
    bus.act("push button", "Write the answer again", "Press")
    wait_for("a new answer", lambda: len(fake.requests_to("/api/chat")) > asked)
    wait_for("the new answer's actions", lambda: bus.one("push button", "Write the answer again"))
