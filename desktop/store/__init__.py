"""Storage: chromadb vectors, the lexical index, the SQLite registry and chat history.

Importing this package first makes chromadb's import lighter: chromadb marks about a
hundred methods with the `overrides` package's `@override`, which checks each one as its
class is built (it disassembles the calling frame to find the base classes and compares
signatures): 0.2 s of the 0.9 s of processor time `import chromadb` took, before every cold
search. Hearth never subclasses chromadb's classes, so the check finds nothing; the mark it
leaves (`__override__`, which chromadb's `EnforceOverrides` classes look for) is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _mark_override(method: Any = None, **_checks: object) -> Any:
    """`overrides.override` without its checks: marks the method and returns it."""
    if method is None:
        return _mark_override
    method.__override__ = True
    return method


def _lighten_chromadb_import() -> None:
    import sys

    if "chromadb" in sys.modules:  # too late: its classes are built
        return
    try:
        import overrides
    except ImportError:  # a chromadb that does not use it
        return
    replacement: Callable[..., Any] = _mark_override
    overrides.override = overrides.overrides = replacement


_lighten_chromadb_import()
