"""The links inside the conversation document, typed.

A QTextDocument anchor can only carry a string, so each action the conversation offers
(open a source, copy, edit, retry, ...) is a `Link` that writes its own href and is read
back by `Link.parse`; nothing else builds or splits these strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class LinkKind(Enum):
    """What a link in the conversation does; the value is its href scheme."""

    CITE = "cite"  # open source `index` of the answer
    COPY_CODE = "copy"  # copy code block `index` of the answer
    COPY_ANSWER = "copya"
    COPY_QUESTION = "copyq"
    EDIT = "edit"  # edit the question and send it again
    REGENERATE = "regen"
    RETRY = "retry"
    THINKING = "think"  # fold or unfold the thinking
    SEARCHED = "searched"  # fold or unfold the passages searched but not cited


_INDEXED = frozenset({LinkKind.CITE, LinkKind.COPY_CODE})


@dataclass(frozen=True, slots=True)
class Link:
    """One action on one message: `key` is the message, `index` the source number or code
    block where the action needs one."""

    kind: LinkKind
    key: int
    index: int | None = None

    @property
    def href(self) -> str:
        tail = "" if self.index is None else f":{self.index}"
        return f"{self.kind.value}:{self.key}{tail}"

    @classmethod
    def parse(cls, href: str) -> Link | None:
        """The link an href stands for, or None when it is not one of ours."""
        parts = href.split(":")
        try:
            kind = LinkKind(parts[0])
        except ValueError:
            return None
        if not all(p.isdigit() for p in parts[1:]):
            return None
        if kind in _INDEXED and len(parts) == 3:
            return cls(kind, int(parts[1]), int(parts[2]))
        if kind not in _INDEXED and len(parts) == 2:
            return cls(kind, int(parts[1]))
        return None
