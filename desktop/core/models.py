"""Plain data types shared by the core and the adapters."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ProviderKind(enum.StrEnum):
    """Where an answer is written."""

    LOCAL = "local"
    CLOUD = "cloud"


class RoutingMode(enum.StrEnum):
    """The user's choice in the provider switch."""

    LOCAL = "local"
    CLOUD = "cloud"
    AUTO = "auto"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """Result of a health probe."""

    reachable: bool
    version: str = ""
    latency_ms: float = 0.0
    model_count: int = 0


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model as listed by a server (`/api/tags`)."""

    name: str
    size: int = 0
    family: str = ""
    parameter_size: str = ""
    quantization: str = ""
    modified_at: str = ""
    digest: str = ""
    context_length: int = 0
    capabilities: tuple[str, ...] = ()
    remote: bool = False


@dataclass(frozen=True, slots=True)
class ModelDetails:
    """What `/api/show` says about one model."""

    name: str
    context_length: int = 0
    capabilities: tuple[str, ...] = ()
    family: str = ""
    parameter_size: str = ""
    quantization: str = ""
    embedding_length: int = 0

    @property
    def can_think(self) -> bool:
        return "thinking" in self.capabilities


@dataclass(frozen=True, slots=True)
class RunningModel:
    """One model loaded in memory (`/api/ps`)."""

    name: str
    size: int = 0
    size_vram: int = 0
    expires_at: str = ""
    context_length: int = 0


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One turn sent to a chat model."""

    role: str
    content: str


@dataclass(frozen=True, slots=True)
class ChatStats:
    """Figures from the final chunk of a chat reply (durations converted to seconds)."""

    done_reason: str = ""
    prompt_tokens: int = 0
    output_tokens: int = 0
    total_seconds: float = 0.0
    load_seconds: float = 0.0
    prompt_seconds: float = 0.0
    eval_seconds: float = 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.output_tokens / self.eval_seconds if self.eval_seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class ChatDelta:
    """A piece of a streamed chat reply: visible text, thinking text, or the final stats."""

    content: str = ""
    thinking: str = ""
    stats: ChatStats | None = None

    @property
    def done(self) -> bool:
        return self.stats is not None


@dataclass(frozen=True, slots=True)
class ChatReply:
    """A whole (non-streamed) chat reply, with who wrote it."""

    content: str
    thinking: str
    stats: ChatStats
    model: str
    provider: ProviderKind


@dataclass(slots=True)
class LayerProgress:
    """Download progress of one layer of a model pull."""

    digest: str
    total: int = 0
    completed: int = 0


@dataclass(slots=True)
class PullProgress:
    """Progress of a model pull, overall and per layer.

    Attributes:
        status: the server's latest status line ("pulling manifest", "verifying ...").
        layers: per-layer byte counts, in the order the server announced them.
        bytes_per_second: recent download speed (0 when unknown).
        seconds_left: estimated time to finish (None when unknown).
    """

    status: str
    layers: dict[str, LayerProgress] = field(default_factory=dict)
    bytes_per_second: float = 0.0
    seconds_left: float | None = None

    @property
    def total(self) -> int:
        return sum(layer.total for layer in self.layers.values())

    @property
    def completed(self) -> int:
        return sum(min(layer.completed, layer.total) for layer in self.layers.values())

    @property
    def fraction(self) -> float:
        total = self.total
        return self.completed / total if total else 0.0

    @property
    def done(self) -> bool:
        return self.status == "success"
