"""Translate Ollama HTTP replies and transport failures into Hearth's error types.

Each error carries a sentence for a person and a hint. Nothing here ever includes the API
key: messages name where the key came from, never its value.
"""

from __future__ import annotations

import json
import re

import httpx

from desktop.core.errors import (
    AuthenticationFailed,
    ModelNotFound,
    Overloaded,
    ProviderError,
    ProviderFailure,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimited,
    RequestRejected,
    ServerBusy,
    StreamInterrupted,
    SubscriptionRequired,
)
from desktop.core.models import ProviderKind

_LIMIT = re.compile(r"\b(session|weekly|hourly|daily)\b usage limit", re.IGNORECASE)


def error_text(body: bytes | str) -> str:
    """The `error` field of an Ollama error body, or the body itself when it is not JSON."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:300]
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return text.strip()[:300]


def _where(kind: ProviderKind, base_url: str) -> str:
    return "Ollama Cloud" if kind is ProviderKind.CLOUD else f"the Ollama server at {base_url}"


def status_error(
    status: int,
    body: bytes | str,
    *,
    kind: ProviderKind,
    base_url: str,
    model: str = "",
    key_source: str = "",
) -> ProviderError:
    """Map an HTTP error status and body to the matching ProviderError."""
    detail = error_text(body)
    where = _where(kind, base_url)
    provider = kind.value
    low = detail.lower()
    if status == 401:
        source = key_source or "no API key was set"
        return AuthenticationFailed(
            f"{where} rejected the API key (from {source}).",
            "Check the key in Settings (keys are at https://ollama.com/settings/keys)."
            if kind is ProviderKind.CLOUD
            else "Sign in on the local server with `ollama signin` to use cloud models.",
            provider=provider,
            key_source=source,
        )
    if status == 403 and "subscription" in low:
        return SubscriptionRequired(
            f"The model {model or 'you chose'} needs an Ollama Cloud subscription.",
            "Upgrade at https://ollama.com/upgrade or choose another model.",
            provider=provider,
        )
    if status == 403 and "cloud is disabled" in low:
        return RequestRejected(
            "Cloud models are turned off on the local Ollama server.",
            "Enable the cloud on the server, or use Hearth's Cloud mode with an API key.",
            provider=provider,
        )
    if status == 404 and ("not found" in low or not detail):
        local = kind is ProviderKind.LOCAL
        return ModelNotFound(
            f"The model {model or '(none)'} is not available on {where}.",
            f"Pull it with `hearth models pull {model}`."
            if local
            else "Pick a model from the cloud catalogue (hearth models list --provider cloud).",
            provider=provider,
            model=model,
            can_pull=local,
        )
    if status == 429:
        match = _LIMIT.search(detail)
        limit = match.group(1).lower() if match else ""
        what = f"your {limit} usage limit" if limit else "a usage limit"
        return RateLimited(
            f"Ollama Cloud says you reached {what}.",
            "Wait for the limit to reset, upgrade at https://ollama.com/upgrade, "
            "or switch to a local model.",
            provider=provider,
            limit=limit,
        )
    if status == 503 and "busy" in low:
        return ServerBusy(
            f"{where} is busy with too many requests.",
            "Try again in a moment.",
            provider=provider,
        )
    if status == 503:
        return Overloaded(
            f"{where} is overloaded right now.",
            "Retry shortly, or switch to a local model.",
            provider=provider,
        )
    if 400 <= status < 500:
        return RequestRejected(
            f"{where} refused the request: {detail or status}.",
            "Check the model and settings.",
            provider=provider,
        )
    return ProviderFailure(
        f"{where} failed ({status}): {detail or 'no details'}.",
        "Try again; if it keeps failing, check the server's log.",
        provider=provider,
    )


def transport_error(
    exc: httpx.TransportError, *, kind: ProviderKind, base_url: str
) -> ProviderError:
    """Map a connection-level failure (refused, DNS, timeout, dropped) to a ProviderError."""
    where = _where(kind, base_url)
    provider = kind.value
    if isinstance(exc, httpx.ConnectTimeout):
        return ProviderUnreachable(
            f"Could not connect to {where} in time.",
            _reach_hint(kind),
            provider=provider,
        )
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeout(
            f"{where} did not answer in time.",
            "The model may still be loading; try again, or raise the timeout in Settings.",
            provider=provider,
        )
    if isinstance(exc, httpx.ConnectError):
        return ProviderUnreachable(
            f"Could not reach {where}.", _reach_hint(kind), provider=provider
        )
    return StreamInterrupted(
        f"The connection to {where} broke off.",
        "Try again; the partial answer was kept.",
        provider=provider,
    )


def _reach_hint(kind: ProviderKind) -> str:
    if kind is ProviderKind.CLOUD:
        return "Check your internet connection and the cloud URL in Settings."
    return "Is Ollama running? Start it with `ollama serve` or the Ollama app."


def stream_error(
    message: str, *, kind: ProviderKind, base_url: str, model: str = ""
) -> ProviderError:
    """Map an `{"error": ...}` line that arrived in the middle of a stream."""
    low = message.lower()
    if "usage limit" in low:
        return status_error(429, message, kind=kind, base_url=base_url, model=model)
    if "overloaded" in low:
        return status_error(503, message, kind=kind, base_url=base_url, model=model)
    return StreamInterrupted(
        f"{_where(kind, base_url)} stopped with an error: {message}",
        "Try again; the partial answer was kept.",
        provider=kind.value,
    )
