"""How this installation runs `hearth`: shared by the command line and the window."""

from __future__ import annotations

import sys


def hearth_command(executable: str | None = None, *, frozen: bool | None = None) -> list[str]:
    """The command that runs `hearth` in this installation.

    A PyInstaller bundle's executable is `hearth` itself; a source install runs the
    package with its Python (`python -m desktop`).
    """
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    return [executable] if frozen else [executable, "-m", "desktop"]
