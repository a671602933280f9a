"""Reads the accessibility bus as a screen reader does, for tests/e2e/test_accessibility_bus.py.

Runs with the system Python, which has the AT-SPI bindings (Debian: python3-gi and
gir1.2-atspi-2.0); it imports nothing from Hearth. It answers one JSON request per line on
stdin with one JSON line on stdout (or {"error": sentence}):

    {"op": "apps"}                                    -> {"apps": [names]}
    {"op": "windows", "app": APP}                     -> {"windows": [node, ...]}
    {"op": "tree", "app", "name": WINDOW or null}     -> {"windows": [node, ...]}
    {"op": "find", "app", "role", "name"}             -> {"found": [node, ...]}
    {"op": "act", "app", "role", "name", "action"}    -> {"done": action name}
    {"op": "set_text", "app", "role", "name", "text"} -> {"done": "set_text"}
    {"op": "paste", "app", "role", "name"}            -> {"done": "paste"}

"windows" describes the application's windows and showing popup menus, "tree" walks them
(or the one named). A node is {"role", "name", "states", "interfaces", "actions", "text",
"links", "children"} ("links": the hyperlinks of a Hypertext node, else null). Only what is
showing is walked into: a hidden widget's parts, a closed popup, a tab page not shown.
Lists, trees and tables are data: their rows are counted ("rows"), not walked. "find",
"act", "set_text" and "paste" (the clipboard at the end of a field) take the showing nodes
with that role whose name is `name` (or starts with `prefix`), the last three the first of
them. Every answer is read from the application as it is at the time of the request
(nothing is cached).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

DATA_ROLES = {"list", "list box", "tree", "tree table", "table"}
POPUP_ROLES = {"popup menu", "menu"}
TEXT_LIMIT = 4000
READ_ATTEMPTS = 5
CALL_TIMEOUT_MS = 30_000
T = TypeVar("T")


class RequestError(Exception):
    """A request that cannot be answered: the error goes back to the test."""


def application(name: str) -> Atspi.Accessible:
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_name() == name:
            return app
    raise RequestError(f"no application {name!r} on the bus")


def children(node: Atspi.Accessible) -> list[Atspi.Accessible]:
    found = (node.get_child_at_index(i) for i in range(node.get_child_count()))
    return [child for child in found if child is not None]


def showing(node: Atspi.Accessible) -> bool:
    return bool(node.get_state_set().contains(Atspi.StateType.SHOWING))


def still_showing(node: Atspi.Accessible) -> bool:
    """Whether a node seen earlier still exists and shows (a closed menu may be gone)."""
    try:
        return showing(node)
    except GLib.Error:
        return False


def actions_of(node: Atspi.Accessible, interfaces: list[str]) -> list[str]:
    if "Action" not in interfaces:
        return []
    return [node.get_action_name(i) for i in range(node.get_n_actions())]


def links_of(node: Atspi.Accessible, interfaces: list[str]) -> list[dict[str, Any]] | None:
    if "Hypertext" not in interfaces:
        return None
    links = []
    for i in range(node.get_n_links()):
        link = node.get_link(i)
        anchor = link.get_object(0)
        actions = actions_of(anchor, anchor.get_interfaces()) if anchor is not None else []
        links.append({"uri": link.get_uri(0), "actions": actions})
    return links


def describe(node: Atspi.Accessible, *, deep: bool) -> dict[str, Any]:
    interfaces = sorted(node.get_interfaces())
    role = node.get_role_name()
    states = sorted(s.value_nick for s in node.get_state_set().get_states())
    text = None
    if "Text" in interfaces:
        text = node.get_text(0, min(node.get_character_count(), TEXT_LIMIT))
    info: dict[str, Any] = {
        "role": role,
        "name": node.get_name(),
        "states": states,
        "interfaces": interfaces,
        "actions": actions_of(node, interfaces),
        "text": text,
        "links": links_of(node, interfaces),
        "children": [],
    }
    if role in DATA_ROLES:
        info["rows"] = node.get_child_count()
    elif deep and "showing" in states:
        info["children"] = [describe(child, deep=True) for child in children(node)]
    return info


def matches(node: Atspi.Accessible, request: dict[str, Any]) -> list[Atspi.Accessible]:
    """The showing nodes under `node` with the request's role and name (or prefix)."""
    if not showing(node):
        return []
    role = node.get_role_name()
    found = []
    if role == request["role"]:
        name = node.get_name()
        if name == request.get("name") or name.startswith(request.get("prefix") or "\0"):
            found.append(node)
    if role not in DATA_ROLES:
        for child in children(node):
            found += matches(child, request)
    return found


class Reader:
    """Answers requests. Qt leaves popup menus out of the application's children; a screen
    reader learns of one from the "showing" event it sends, and so does this."""

    def __init__(self) -> None:
        self.popups: list[Atspi.Accessible] = []
        self._listener = Atspi.EventListener.new(self._on_showing)
        self._listener.register("object:state-changed:showing")

    def _on_showing(self, event: Atspi.Event) -> None:
        source = event.source
        if source is None or source.get_role_name() not in POPUP_ROLES:
            return
        self.popups = [p for p in self.popups if p != source]
        if event.detail1:
            self.popups.append(source)

    def windows(self, name: str) -> list[Atspi.Accessible]:
        """The application's windows and its showing popup menus (once the events that
        have arrived are read)."""
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)
        app = application(name)
        self.popups = [p for p in self.popups if still_showing(p)]
        return children(app) + [p for p in self.popups if p.get_application() == app]

    def matches(self, request: dict[str, Any]) -> list[Atspi.Accessible]:
        return [n for w in self.windows(request["app"]) for n in matches(w, request)]

    def target(self, request: dict[str, Any]) -> Atspi.Accessible:
        found = read_again(lambda: self.matches(request))
        if not found:
            wanted = request.get("name") or f"{request.get('prefix')}…"
            raise RequestError(f"no showing {request['role']} named {wanted!r}")
        return found[0]

    def act(self, request: dict[str, Any]) -> dict[str, Any]:
        node = self.target(request)
        names = actions_of(node, node.get_interfaces())
        wanted = request.get("action") or (names[0] if names else "")
        if wanted not in names:
            raise RequestError(f"{node.get_name()!r} has no action {wanted!r} (it has {names})")
        if not node.do_action(names.index(wanted)):
            raise RequestError(f"{node.get_name()!r} refused {wanted!r}")
        return {"done": wanted}

    def set_text(self, request: dict[str, Any]) -> dict[str, Any]:
        node = self.target(request)
        if "EditableText" not in node.get_interfaces():
            raise RequestError(f"{node.get_name()!r} is not editable")
        if not node.set_text_contents(request["text"]):
            raise RequestError(f"{node.get_name()!r} refused the text")
        return {"done": "set_text"}

    def paste(self, request: dict[str, Any]) -> dict[str, Any]:
        node = self.target(request)
        if "EditableText" not in node.get_interfaces():
            raise RequestError(f"{node.get_name()!r} is not editable")
        if not node.paste_text(node.get_character_count()):
            raise RequestError(f"{node.get_name()!r} refused the clipboard")
        return {"done": "paste"}

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request["op"]
        if op in ("apps", "windows", "tree", "find"):
            return read_again(lambda: self.read(request))
        if op == "act":
            return self.act(request)
        if op == "set_text":
            return self.set_text(request)
        if op == "paste":
            return self.paste(request)
        raise RequestError(f"unknown request {op!r}")

    def read(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request["op"]
        if op == "apps":
            return {"apps": [app.get_name() for app in children(Atspi.get_desktop(0))]}
        if op == "windows":
            return {"windows": [describe(w, deep=False) for w in self.windows(request["app"])]}
        if op == "tree":
            wanted = request.get("name")
            shown = [w for w in self.windows(request["app"]) if wanted in (None, w.get_name())]
            return {"windows": [describe(w, deep=True) for w in shown]}
        return {"found": [describe(n, deep=False) for n in self.matches(request)]}


def read_again(read: Callable[[], T]) -> T:
    """`read()`, read again when it met an object as that went away (a window closing while
    it was walked): the read raced with the change, it did not fail."""
    for _ in range(READ_ATTEMPTS - 1):
        try:
            return read()
        except GLib.Error as exc:
            if "No such object" not in exc.message:
                raise
    return read()


def main() -> None:
    # libatspi gives up on a call after 0.8 s (once an application has run 15 s) and then
    # treats the application as gone; a busy machine, or a window embedding on its thread,
    # answers later than that.
    Atspi.set_timeout(CALL_TIMEOUT_MS, CALL_TIMEOUT_MS)
    # Nothing cached: every request reads the application as it is now.
    Atspi.Accessible.set_cache_mask(Atspi.get_desktop(0), Atspi.Cache.NONE)
    reader = Reader()
    for line in sys.stdin:
        try:
            reply = reader.answer(json.loads(line))
        except RequestError as exc:
            reply = {"error": str(exc)}
        except GLib.Error as exc:  # a D-Bus error: the application went away, a time-out
            reply = {"error": f"D-Bus: {exc.message}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
