"""Typed errors that carry a sentence for the user and a hint on what to do next.

Adapters translate transport and library exceptions into these at their edge, so nothing
above them ever sees an httpx, chromadb or keyring exception. One UI piece (or the CLI)
decides how to show them; core code never opens dialogs.
"""

from __future__ import annotations

from desktop.core.safe_text import display_safe


class AppError(Exception):
    """Base of every error Hearth shows to a person.

    Attributes:
        message: one sentence saying what went wrong, in plain words.
        hint: what the person can do about it (may be empty).
        retryable: whether trying the same thing again may succeed.
    """

    retryable: bool = False

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message

    @property
    def kind(self) -> str:
        """A stable machine-readable name (the class name), for JSON output and tests."""
        return type(self).__name__


# ---- providers (Ollama local and cloud) -------------------------------------------------


class ProviderError(AppError):
    """Something went wrong talking to an Ollama server (local or cloud)."""

    def __init__(self, message: str, hint: str = "", *, provider: str = "") -> None:
        super().__init__(message, hint)
        self.provider = provider


class ProviderUnreachable(ProviderError):
    """No connection could be made (refused, DNS failure, network down)."""

    retryable = True


class ProviderTimeout(ProviderError):
    """The server accepted the connection but did not answer in time."""

    retryable = True


class AuthenticationFailed(ProviderError):
    """The cloud rejected the API key (401), or no key was configured."""

    def __init__(
        self, message: str, hint: str = "", *, provider: str = "", key_source: str = ""
    ) -> None:
        super().__init__(message, hint, provider=provider)
        self.key_source = key_source


class SubscriptionRequired(ProviderError):
    """The cloud model needs a paid plan (403)."""


class RateLimited(ProviderError):
    """A cloud usage limit was reached (429).

    Attributes:
        limit: which limit: "session", "weekly", "hourly" or "" when the server did not say.
        retry_after: seconds the server asked to wait (its Retry-After header), or None.
    """

    retryable = True

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        provider: str = "",
        limit: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, hint, provider=provider)
        self.limit = limit
        self.retry_after = retry_after


class Overloaded(ProviderError):
    """The cloud is overloaded (503); retrying shortly usually works."""

    retryable = True


class ServerBusy(ProviderError):
    """The local server's request queue is full (503 "server busy")."""

    retryable = True


class ModelNotFound(ProviderError):
    """The model is not installed locally or does not exist in the cloud catalogue.

    Attributes:
        model: the name that was asked for.
        can_pull: True when pulling the model could fix it (local server).
    """

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        provider: str = "",
        model: str = "",
        can_pull: bool = False,
    ) -> None:
        super().__init__(message, hint, provider=provider)
        self.model = model
        self.can_pull = can_pull


class StreamInterrupted(ProviderError):
    """The server reported an error, or the connection dropped, in the middle of a stream."""

    retryable = True


class RequestRejected(ProviderError):
    """The server refused the request as invalid (400), e.g. thinking on a model without it."""


class ProviderFailure(ProviderError):
    """The server failed in an unexpected way (5xx, malformed reply)."""

    retryable = True


class CloudNotAllowed(ProviderError):
    """A request would have gone to the cloud, but the cloud is not enabled (or not allowed)."""


class Cancelled(AppError):
    """The person cancelled the operation; nothing is wrong."""


# ---- settings and secrets ---------------------------------------------------------------


class SettingsError(AppError):
    """The settings could not be read or written."""


class SecretStoreUnavailable(AppError):
    """No secure place to keep the cloud API key (no OS keyring, or it timed out)."""


# ---- documents and the knowledge base ---------------------------------------------------


class IngestError(AppError):
    """One file could not be indexed; the rest of the batch goes on."""

    def __init__(self, message: str, hint: str = "", *, path: str = "") -> None:
        # The sentence names the file: a name with a right-to-left override must not turn
        # the sentence around in the window or the terminal.
        super().__init__(display_safe(message), hint)
        self.path = path


class UnsupportedFile(IngestError):
    """The file type is not one Hearth can read."""


class CorruptFile(IngestError):
    """The file is damaged or not what its name says."""


class EncryptedFile(IngestError):
    """The file is password-protected."""


class NoTextLayer(IngestError):
    """The file has no extractable text (for example a scanned PDF that needs OCR)."""


class FileTooLarge(IngestError):
    """The file is larger than the configured limit."""


class FileUnreadable(IngestError):
    """The file could not be opened (permissions, vanished, I/O error)."""


class ReadingStopped(IngestError):
    """Reading the file was stopped: it crashed the reader process, took longer than the
    time limit, used more memory than the limit, or was cancelled."""


class EmbedderMismatch(AppError):
    """The store was built with another embedder than the one configured."""


class KnowledgeBaseNotFound(AppError):
    """No knowledge base has that name."""


class StoreError(AppError):
    """The vector store or the document registry failed (locked, disk full, corrupt)."""


class StoreBusy(StoreError):
    """Another process is changing the knowledge store; this one may only read it."""


class DiskFull(StoreError):
    """The disk that holds the store has no space left; what was saved before is kept."""


class IndexerStopped(StoreError):
    """Hearth's indexing process (which owns the store) ended while it was asked for
    something; it starts again at the next request."""

    retryable = True
