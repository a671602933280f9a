"""What an answer streams out: sources first, then thinking and text, then the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.documents import SearchHit
from desktop.core.errors import AppError
from desktop.core.models import ChatStats, ProviderKind


@dataclass(frozen=True, slots=True)
class Citation:
    """Source number `n` of an answer: exactly a passage that was placed in the prompt."""

    n: int
    hit: SearchHit


@dataclass(frozen=True, slots=True)
class Retrieved:
    """The numbered sources, in prompt order (also sent when no model can answer)."""

    citations: list[Citation]
    query: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the person should know about this answer (sources left out, ...)."""

    text: str


@dataclass(frozen=True, slots=True)
class Thinking:
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    text: str


@dataclass(frozen=True, slots=True)
class Done:
    """The answer is complete; who wrote it, how fast, and which sources it cited."""

    model: str
    provider: ProviderKind
    stats: ChatStats
    used_citations: list[int] = field(default_factory=list)
    omitted_sources: int = 0


@dataclass(frozen=True, slots=True)
class Error:
    """The answer failed; `partial_text` is what had arrived (kept, never discarded)."""

    error: AppError
    partial_text: str = ""


ChatEvent = Retrieved | Notice | Thinking | Token | Done | Error
