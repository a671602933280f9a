"""Messages between the window and its indexing process: a 4-byte big-endian length, then a
pickle of a tuple whose first item names the message.

Pickle is used because both ends are the same Hearth, a parent and the child it started,
talking over the child's own stdin and stdout: the project's dataclasses (events,
records, search hits) cross as they are. Nothing else ever writes to these pipes.

Window to indexer:
    ("start", Start)                      first, once
    ("call", id, name, args, kwargs)      `name` is one of `CALLS`; a callback keyword is
                                          sent as `CALLBACK` and its calls come back
    ("cancel", id)                        cancel the call's task
    ("closing",)                          the window is closing: runs cancelled from now on
                                          leave their unfinished files queued
    ("settings", Settings)                use these settings now (answered as a call)
Indexer to window:
    ("ready", Ready) or ("failed", error)  once, after "start"
    ("event", id, args)                   the call's callback was called with `args`
    ("result", id, value)
    ("error", id, error)                  see `pack_error`
    ("cancelled", id)
"""

from __future__ import annotations

import pickle
import struct
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from desktop.core import errors
from desktop.core.errors import AppError
from desktop.core.recovery import RecoveryReport
from desktop.core.settings import Settings

_HEADER = struct.Struct(">I")

# What a call may name; the indexer maps each to the knowledge services' method.
CALLS = frozenset(
    {
        "ingest.ingest",
        "ingest.resume",
        "ingest.remove_documents",
        "ingest.queue_for_next_start",
        "kbs.create",
        "kbs.summaries",
        "kbs.documents",
        "kbs.remove",
        "kbs.rename",
        "kbs.remove_document",
        "kbs.reindex",
        "kbs.reembed",
        "retriever.search",
        "retriever.search_across",
        "retriever.document_chunks",
        "session.writable",
        "use_embedder",
        "apply_settings",
    }
)
# Stands for a callback keyword argument (on_event, on_progress) in a call.
CALLBACK = "<callback>"


@dataclass(frozen=True, slots=True)
class Start:
    """What the indexing process needs to open the same data folder as the window.

    Attributes:
        data_dir: the data folder.
        env: the window's environment (OLLAMA_HOST and the like).
        role: who holds the store's write lock, in words, for another process refused it.
        settings: the window's settings as they are now (perhaps not saved yet).
        resume: index again what recovery re-queued, at once (a restart after a crash).
    """

    data_dir: Path
    env: dict[str, str]
    role: str
    settings: Settings
    resume: bool = False


@dataclass(frozen=True, slots=True)
class Ready:
    """The indexing process opened the store.

    Attributes:
        recovery: what crash recovery re-queued (None: this process could not write).
        embedder_id: the embedder new knowledge bases get.
    """

    recovery: RecoveryReport | None
    embedder_id: str


def write_message(stream: IO[bytes], message: tuple[Any, ...]) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def read_message(stream: IO[bytes]) -> tuple[Any, ...] | None:
    """The next message, or None at the end of the stream (the other side closed or died)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    size = _HEADER.unpack(header)[0]
    body = stream.read(size)
    if len(body) < size:
        return None
    message = pickle.loads(body)  # noqa: S301 (our own child or parent, see above)
    if not isinstance(message, tuple) or not message:
        raise ValueError("an indexer message is not a tuple")
    return message


def pack_error(exc: BaseException) -> tuple[str, str, str, dict[str, Any]]:
    """An exception as (class name, message, hint, fields): an `AppError` comes back as
    the same class with the same fields; anything else as its traceback."""
    if isinstance(exc, AppError):
        return type(exc).__name__, exc.message, exc.hint, dict(vars(exc))
    text = "".join(traceback.format_exception(exc))
    return "", text, "", {}


def unpack_error(packed: tuple[str, str, str, dict[str, Any]]) -> Exception:
    """The exception `pack_error` packed (an unexpected one as a RuntimeError)."""
    name, message, hint, fields = packed
    cls = getattr(errors, name, None) if name else None
    if not (isinstance(cls, type) and issubclass(cls, AppError)):
        return RuntimeError(f"the indexing process failed:\n{message}")
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    vars(exc).update(fields)
    exc.message, exc.hint = message, hint
    return exc
