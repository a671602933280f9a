"""The core's errors in the window's language.

The core writes its sentences in English, with the specifics (a file, a model, a server)
inside them. In a translated window each kind of error gets its own translated sentence
and hint here, built from the specifics the error carries as fields (the file's name, the
model, which server). Where no translation exists (English, or a kind not listed) the
core's own sentence is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from PySide6.QtCore import QCoreApplication

from desktop.core.errors import AppError

_CONTEXT = "ErrorText"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Marks `text` for translation in `context`; it is translated where it is shown."""
    return text


def _tr(text: str) -> str | None:
    """`text` in the window's language, or None when it has no translation."""
    translated = QCoreApplication.translate(_CONTEXT, text)
    return translated if translated != text else None


@dataclass(frozen=True)
class Failure:
    """What the window knows of one error: its kind, its English sentence and hint, and the
    specifics it carries (from an `AppError`, or from an ingestion event's fields)."""

    kind: str
    message: str
    hint: str = ""
    path: str = ""
    provider: str = ""
    model: str = ""
    can_pull: bool = False
    retry_after: float | None = None

    @classmethod
    def of(cls, exc: AppError) -> Failure:
        retry_after = getattr(exc, "retry_after", None)
        return cls(
            exc.kind,
            exc.message,
            exc.hint,
            path=str(getattr(exc, "path", "") or ""),
            provider=str(getattr(exc, "provider", "") or ""),
            model=str(getattr(exc, "model", "") or ""),
            can_pull=bool(getattr(exc, "can_pull", False)),
            retry_after=float(retry_after) if retry_after is not None else None,
        )


def _server(f: Failure) -> str:
    if f.provider == "cloud":
        return QCoreApplication.translate("ErrorText", "Ollama Cloud")
    return QCoreApplication.translate("ErrorText", "Local Ollama")


def _file(f: Failure) -> str:
    return f"\u201c{PurePath(f.path).name}\u201d"


def _model(f: Failure) -> str:
    return f.model


# Each kind: its sentence and hint as written for translation, and what fills in %1.
_Fill = Callable[[Failure], str]
_KINDS: dict[str, tuple[str, str, _Fill | None]] = {
    "ProviderUnreachable": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 is not reachable."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Check that it runs and that its address in Settings is right."
        ),
        _server,
    ),
    "ProviderTimeout": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 did not answer in time."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The model may still be loading; try again, or raise the timeout in Settings.",
        ),
        _server,
    ),
    "AuthenticationFailed": (
        QT_TRANSLATE_NOOP("ErrorText", "Ollama Cloud did not accept the API key."),
        QT_TRANSLATE_NOOP("ErrorText", "Check the key in Settings, Connections."),
        None,
    ),
    "SubscriptionRequired": (
        QT_TRANSLATE_NOOP("ErrorText", "The cloud model %1 needs a paid Ollama plan."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Choose another cloud model, or change the plan on ollama.com."
        ),
        _model,
    ),
    "Overloaded": (
        QT_TRANSLATE_NOOP("ErrorText", "Ollama Cloud is overloaded right now."),
        QT_TRANSLATE_NOOP("ErrorText", "Try again in a moment."),
        None,
    ),
    "ServerBusy": (
        QT_TRANSLATE_NOOP("ErrorText", "Local Ollama is busy with other requests."),
        QT_TRANSLATE_NOOP("ErrorText", "Try again in a moment."),
        None,
    ),
    "StreamInterrupted": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 broke off the answer."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "What had arrived is kept; ask again to get a whole answer."
        ),
        _server,
    ),
    "RequestRejected": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 refused the request."),
        QT_TRANSLATE_NOOP("ErrorText", "Try another model."),
        _server,
    ),
    "ProviderFailure": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 failed unexpectedly."),
        QT_TRANSLATE_NOOP("ErrorText", "Try again; if it keeps failing, restart Ollama."),
        _server,
    ),
    "CloudNotAllowed": (
        QT_TRANSLATE_NOOP("ErrorText", "This answer may not be sent to Ollama Cloud."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Answer with local Ollama, or turn the cloud on in Settings; a knowledge base "
            "kept on this computer is never sent.",
        ),
        None,
    ),
    "SecretStoreUnavailable": (
        QT_TRANSLATE_NOOP("ErrorText", "This computer has no safe place to keep the API key."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "In Settings, Connections, keep the API key in a private file."
        ),
        None,
    ),
    "UnsupportedFile": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 is of a type Hearth cannot read."),
        QT_TRANSLATE_NOOP("ErrorText", "Save it as PDF, Word or text and add it again."),
        _file,
    ),
    "CorruptFile": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 is damaged or is not what its name says."),
        QT_TRANSLATE_NOOP("ErrorText", "Open it in its own program, save a new copy and add that."),
        _file,
    ),
    "EncryptedFile": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 is protected by a password."),
        QT_TRANSLATE_NOOP("ErrorText", "Save a copy without the password and add that."),
        _file,
    ),
    "NoTextLayer": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 has no text that can be read."),
        QT_TRANSLATE_NOOP("ErrorText", "Add a copy with a text layer."),
        _file,
    ),
    "FileTooLarge": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 is larger than the size limit."),
        QT_TRANSLATE_NOOP("ErrorText", "Raise the limit in Settings, or split the file."),
        _file,
    ),
    "FileUnreadable": (
        QT_TRANSLATE_NOOP("ErrorText", "%1 could not be opened."),
        QT_TRANSLATE_NOOP("ErrorText", "Check that it still exists and that you may read it."),
        _file,
    ),
    "EmbedderMismatch": (
        QT_TRANSLATE_NOOP(
            "ErrorText", "This knowledge base was built with an embedder that is not available."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Re-index it, or choose its embedder again in Settings."),
        None,
    ),
    "StoreBusy": (
        QT_TRANSLATE_NOOP("ErrorText", "Another Hearth process is changing the knowledge store."),
        QT_TRANSLATE_NOOP("ErrorText", "Wait until it has finished, then try again."),
        None,
    ),
    "IndexerStopped": (
        QT_TRANSLATE_NOOP(
            "ErrorText", "Hearth's indexing process stopped; what it was doing was not finished."
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "It starts again by itself at the next request and indexes the files it had not "
            "finished.",
        ),
        None,
    ),
    "DiskFull": (
        QT_TRANSLATE_NOOP("ErrorText", "The disk is full; everything saved before is kept."),
        QT_TRANSLATE_NOOP("ErrorText", "Free some space, then try again."),
        None,
    ),
}


def _model_not_found(f: Failure) -> tuple[str, str, _Fill | None]:
    if f.provider == "cloud":
        message = QT_TRANSLATE_NOOP(
            "ErrorText", "The model %1 is not in the Ollama Cloud catalogue."
        )
    else:
        message = QT_TRANSLATE_NOOP("ErrorText", "The model %1 is not installed in local Ollama.")
    if f.can_pull:
        return message, QT_TRANSLATE_NOOP("ErrorText", "Pull it in Models."), _model
    return message, QT_TRANSLATE_NOOP("ErrorText", "Choose another model."), _model


def _rate_limited(f: Failure) -> tuple[str, str, _Fill | None]:
    message = QT_TRANSLATE_NOOP("ErrorText", "The Ollama Cloud usage limit was reached.")
    if f.retry_after:
        hint = QT_TRANSLATE_NOOP("ErrorText", "Try again in %1 s, or answer with local Ollama.")
        return message, hint, lambda f: f"{f.retry_after:.0f}"
    return (
        message,
        QT_TRANSLATE_NOOP("ErrorText", "Try again later, or answer with local Ollama."),
        None,
    )


# Kinds whose sentence depends on the error's fields.
_CHOOSE: dict[str, Callable[[Failure], tuple[str, str, _Fill | None]]] = {
    "ModelNotFound": _model_not_found,
    "RateLimited": _rate_limited,
}


def describe(failure: Failure | AppError) -> tuple[str, str]:
    """The sentence and the hint to show for an error, in the window's language."""
    f = failure if isinstance(failure, Failure) else Failure.of(failure)
    if f.kind in _CHOOSE:
        message_source, hint_source, fill = _CHOOSE[f.kind](f)
    elif f.kind in _KINDS:
        message_source, hint_source, fill = _KINDS[f.kind]
    else:
        return f.message, f.hint
    specific = fill(f) if fill else ""
    needed = "%1" in message_source or "%1" in hint_source
    message, hint = _tr(message_source), _tr(hint_source)
    if message is None or hint is None or (needed and not specific):
        # English, or a detail missing: the core's own, more specific sentence.
        return f.message, f.hint
    return message.replace("%1", specific), hint.replace("%1", specific)
