"""Walk an application's windows through the AT-SPI accessibility bus; print them as JSON.

Run with the system Python (`/usr/bin/python3`), which has pyatspi (Debian
`python3-pyatspi`): the test's virtual environment does not. Usage:

    walker.py APP_NAME TIMEOUT_SECONDS [BUTTON...]

waits until an application named APP_NAME shows a window with a push button and walks it;
then for each BUTTON presses the push button of that name through its AT-SPI action (as
a screen reader would), walks the window it opens, and closes that window with its
"Close" or "Cancel" button. Prints one JSON array of nodes: `window` (the button that
opened it, "" for the main window), `path`, `role`, `name`, `states`, `actions`.
"""

from __future__ import annotations

import functools
import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]

# Rows and cells are the data of a list, tree or table; they are named by their content.
DATA = {"list", "tree", "table", "tree table", "scroll bar"}


def find_app(name: str) -> object | None:
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and (app.name or "").lower() == name.lower():
            return app
    return None


def walk(node: object, path: str, out: list[dict[str, object]], window: str = "") -> None:
    role = node.getRoleName()
    here = f"{path}/{role}"
    states = node.getState()
    try:
        action = node.queryAction()
        actions = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        actions = []
    out.append(
        {
            "window": window,
            "path": here,
            "role": role,
            "name": node.name or "",
            "states": [pyatspi.stateToString(s) for s in states.getStates()],
            "actions": actions,
        }
    )
    if role in DATA:
        return
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, here, out, window)


def wait_for(test: object, timeout: float) -> object | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = test()  # type: ignore[operator]
        if found is not None:
            return found
        time.sleep(0.3)
    return None


def buttons(root: object, name: str) -> list[object]:
    """The showing push buttons named `name` under `root`."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        role = node.getRoleName()
        showing = node.getState().contains(pyatspi.STATE_SHOWING)
        if role == "push button" and node.name == name and showing:
            found.append(node)
        if role not in DATA:
            stack.extend(node.getChildAtIndex(i) for i in range(node.childCount))
    return found


def newest_window(app: object, before: int) -> object | None:
    """The window opened last, once there are more than `before`."""
    return app.getChildAtIndex(app.childCount - 1) if app.childCount > before else None


def closed(app: object, before: int) -> bool | None:
    return True if app.childCount <= before else None


def press(node: object) -> None:
    action = node.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    action.doAction(names.index("Press"))


def main() -> int:
    name, timeout, openers = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    nodes: list[dict[str, object]] = []

    def ready() -> object | None:
        app = find_app(name)
        return app if app is not None and app.childCount and buttons(app, "Settings") else None

    app = wait_for(ready, timeout)
    if app is None:
        return 1
    main_window = app.getChildAtIndex(0)
    walk(main_window, "", nodes)
    for opener in openers:
        [button] = buttons(main_window, opener)
        before = app.childCount
        press(button)
        opened = wait_for(functools.partial(newest_window, app, before), 20)
        if opened is None:
            print(f"pressing {opener!r} opened no window", file=sys.stderr)
            return 1
        walk(opened, "", nodes, opener)
        closers = buttons(opened, "Close") or buttons(opened, "Cancel")
        press(closers[0])
        wait_for(functools.partial(closed, app, before), 20)
    print(json.dumps(nodes, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
