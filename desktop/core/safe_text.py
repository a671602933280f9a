"""Text from strangers made safe to show: control characters and the Unicode
bidirectional controls.

A file named "invoice\u202egpj.exe" reads "invoiceexe.jpg" wherever it is drawn: the
right-to-left override turns the rest of the line around (so does a Trojan Source line in a
passage). Names are shown with such characters spelled out (`display_safe`); the text of
documents loses them before it is indexed (`clean_text`).
"""

from __future__ import annotations

import re

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what
# follows them. The marks (U+200E, U+200F, U+061C) only nudge neighbours, and right-to-left
# writing needs them, so text keeps them; names spell them out too.
_REORDERING = "\u202a-\u202e\u2066-\u2069"
_MARKS = "\u061c\u200e\u200f"
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_UNSAFE_IN_NAMES = re.compile(f"[\t\n\r{_CONTROLS}{_REORDERING}{_MARKS}]")
_REORDERING_CHAR = re.compile(f"[{_REORDERING}]")
_CONTROL_CHAR = re.compile(f"[{_CONTROLS}]")


def display_safe(text: str) -> str:
    """`text` (a file name, a title) with control and bidirectional-control characters
    written as <U+XXXX>, so that it shows as it is spelled."""
    return _UNSAFE_IN_NAMES.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)


def clean_text(text: str) -> str:
    """Document text without reordering controls, its other control characters (but tab
    and line breaks) turned into spaces."""
    return _CONTROL_CHAR.sub(" ", _REORDERING_CHAR.sub("", text))
