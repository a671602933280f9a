"""Translate Ollama HTTP replies and transport failures into Hearth's error types.

Each error carries a sentence for a person and a hint. Nothing here ever includes the API
key: messages name where the key came from, never its value, and httpx exceptions are
never chained (their text could carry request details).
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from desktop.core.errors import (
    AppError,
    AuthenticationFailed,
    Cancelled,
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

KEYS_URL = "https://ollama.com/settings/keys"
UPGRADE_URL = "https://ollama.com/upgrade"
NO_KEY = "no API key is set"
LOCAL_START_HINT = "Is Ollama running? Start it with `ollama serve` or open the Ollama app."

_LIMIT = re.compile(r"\b(session|weekly|hourly|daily)\s+usage\s+limit", re.IGNORECASE)
_RESETS = {
    "session": "The session limit resets every 5 hours.",
    "weekly": "The weekly limit resets every 7 days.",
    "hourly": "The hourly limit resets within the hour.",
    "daily": "The daily limit resets every day.",
}
_RESETS_UNKNOWN = (
    "Usage limits reset on their own (the session limit every 5 hours, "
    "the weekly limit every 7 days)."
)
_GIN_NOT_FOUND = "404 page not found"
_MAX_DETAIL = 300


def _parse_body(body: bytes | str) -> tuple[str, dict[str, Any]]:
    """The error text of a body and its JSON object (empty when the body is not JSON)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:_MAX_DETAIL], {}
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, str):
            return error, data
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"]), data
        return text.strip()[:_MAX_DETAIL], data
    return text.strip()[:_MAX_DETAIL], {}


def error_text(body: bytes | str) -> str:
    """The `error` field of an Ollama error body, or the body itself when it is not JSON."""
    return _parse_body(body)[0]


def where(kind: ProviderKind, base_url: str) -> str:
    """How a sentence names the server: "Ollama Cloud" or "the Ollama server at URL"."""
    return "Ollama Cloud" if kind is ProviderKind.CLOUD else f"the Ollama server at {base_url}"


def subject(kind: ProviderKind, base_url: str) -> str:
    """`where`, capitalised to start a sentence."""
    name = where(kind, base_url)
    return name[0].upper() + name[1:]


def _unauthorized(
    kind: ProviderKind, base_url: str, model: str, key_source: str, signin_url: str
) -> AuthenticationFailed:
    provider = kind.value
    if kind is ProviderKind.LOCAL:
        # Only a cloud model makes a local server answer 401: it is not signed in.
        link = f" or open {signin_url} to connect this machine" if signin_url else ""
        return AuthenticationFailed(
            f"The Ollama server at {base_url} is not signed in to Ollama Cloud, "
            f"so it cannot run the cloud model {model or 'you chose'}.",
            f"Run `ollama signin`{link}, or use Hearth's Cloud mode with an API key.",
            provider=provider,
            key_source="the local server's sign-in",
        )
    fix = f"Create a key at {KEYS_URL} and paste it in Settings."
    if not key_source or key_source == NO_KEY:
        return AuthenticationFailed(
            "Ollama Cloud needs an API key, and no API key is set.",
            fix,
            provider=provider,
            key_source=NO_KEY,
        )
    return AuthenticationFailed(
        f"Ollama Cloud rejected the API key from {key_source}.",
        f"The key may be mistyped or revoked. {fix}",
        provider=provider,
        key_source=key_source,
    )


def _rate_limited(detail: str, provider: str, retry_after: float | None) -> RateLimited:
    match = _LIMIT.search(detail)
    limit = match.group(1).lower() if match else ""
    what = f"your {limit} usage limit" if limit else "a usage limit"
    wait = f"Try again in {retry_after:.0f} s. " if retry_after is not None else ""
    return RateLimited(
        f"Ollama Cloud says you reached {what}.",
        f"{wait}{_RESETS.get(limit, _RESETS_UNKNOWN)} Upgrade at {UPGRADE_URL} for higher "
        "limits, or switch to a local model.",
        provider=provider,
        limit=limit,
        retry_after=retry_after,
    )


def _not_found(kind: ProviderKind, base_url: str, model: str, detail: str) -> ProviderError:
    provider = kind.value
    if detail == _GIN_NOT_FOUND or not detail:
        # An unknown route, not an unknown model: ollama.com has no embeddings or pulls,
        # and an old local server lacks newer endpoints.
        return RequestRejected(
            f"{subject(kind, base_url)} does not offer this operation.",
            "Ollama Cloud only writes answers; embeddings and downloads need the local server."
            if kind is ProviderKind.CLOUD
            else "Update Ollama to a newer version.",
            provider=provider,
        )
    local = kind is ProviderKind.LOCAL
    return ModelNotFound(
        f"The model {model or '(none)'} is not available on {where(kind, base_url)}.",
        f"Pull it with `hearth models pull {model}` (or `ollama pull {model}`), "
        "or choose an installed model."
        if local
        else "Choose a model from the Ollama Cloud catalogue (the model picker lists it in "
        "Cloud mode).",
        provider=provider,
        model=model,
        can_pull=local,
    )


def _forbidden(kind: ProviderKind, base_url: str, model: str, detail: str) -> ProviderError:
    low = detail.lower()
    provider = kind.value
    if "subscription" in low:
        return SubscriptionRequired(
            f"The model {model or 'you chose'} needs an Ollama Cloud subscription.",
            f"Upgrade at {UPGRADE_URL}, or choose another model.",
            provider=provider,
        )
    if "cloud is disabled" in low:
        return RequestRejected(
            f"Cloud models are turned off on the Ollama server at {base_url}.",
            "Enable the cloud on that server, or use Hearth's Cloud mode with an API key.",
            provider=provider,
        )
    return RequestRejected(
        f"{subject(kind, base_url)} refused access: {detail or 'forbidden'}.",
        "Check your Ollama account and the chosen model.",
        provider=provider,
    )


def _unavailable(kind: ProviderKind, base_url: str, detail: str) -> ProviderError:
    provider = kind.value
    if "busy" in detail.lower():
        return ServerBusy(
            f"{subject(kind, base_url)} is busy: its queue of pending requests is full.",
            "Try again in a moment.",
            provider=provider,
        )
    return Overloaded(
        f"{subject(kind, base_url)} is overloaded right now.",
        "Retry shortly, or switch to a local model.",
        provider=provider,
    )


def status_error(
    status: int,
    body: bytes | str,
    *,
    kind: ProviderKind,
    base_url: str,
    model: str = "",
    key_source: str = "",
    retry_after: float | None = None,
) -> AppError:
    """Map an HTTP error status and body to the matching error.

    Args:
        status: the HTTP status (400 or more).
        body: the reply body (JSON `{"error": ...}` or plain text).
        kind: which server answered.
        base_url: its base URL, named in local messages.
        model: the model the request was about, if any.
        key_source: where the cloud key came from, named on 401.
        retry_after: the server's Retry-After in seconds, if it sent one.

    Returns:
        A ProviderError subclass, or Cancelled for 499 (the request was cancelled).
    """
    detail, data = _parse_body(body)
    provider = kind.value
    if status == 401:
        signin = data.get("signin_url")
        return _unauthorized(
            kind, base_url, model, key_source, signin if isinstance(signin, str) else ""
        )
    if status == 403:
        return _forbidden(kind, base_url, model, detail)
    if status == 404:
        return _not_found(kind, base_url, model, detail)
    if status == 429:
        return _rate_limited(detail, provider, retry_after)
    if status == 499:
        return Cancelled("The request was cancelled before the answer was finished.")
    if status == 503:
        return _unavailable(kind, base_url, detail)
    if 400 <= status < 500:
        return RequestRejected(
            f"{subject(kind, base_url)} refused the request: {detail or status}.",
            "Check the chosen model and its settings.",
            provider=provider,
        )
    return ProviderFailure(
        f"{subject(kind, base_url)} failed ({status}): {detail or 'no details'}.",
        "Try again; if it keeps failing, look at the Ollama server's log.",
        provider=provider,
    )


def _reach_hint(kind: ProviderKind, base_url: str) -> str:
    if kind is ProviderKind.CLOUD:
        return f"Check your internet connection and the cloud URL ({base_url}) in Settings."
    return LOCAL_START_HINT


def timeout_error(
    kind: ProviderKind, base_url: str, *, seconds: float, phase: str
) -> ProviderTimeout:
    """A timeout with a sentence about what was being waited for.

    Args:
        kind: which server.
        base_url: its base URL.
        seconds: how long Hearth waited.
        phase: "first" (the first token of a reply), "between" (later lines of a
            stream) or "reply" (a whole ordinary reply).
    """
    name = subject(kind, base_url)
    if phase == "first":
        return ProviderTimeout(
            f"{name} did not answer in time: no reply started within {seconds:g} s.",
            "The model may still be loading (large models and cloud cold starts take a "
            "while); try again, or raise the first-token timeout in Settings.",
            provider=kind.value,
        )
    if phase == "between":
        return ProviderTimeout(
            f"{name} did not answer in time: the reply stalled for {seconds:g} s.",
            "The server may be overloaded; try again, or raise the timeout in Settings.",
            provider=kind.value,
        )
    return ProviderTimeout(
        f"{name} did not answer in time (waited {seconds:g} s).",
        "Try again, or raise the timeout in Settings.",
        provider=kind.value,
    )


def transport_error(
    exc: httpx.HTTPError | httpx.InvalidURL | httpx.StreamError,
    *,
    kind: ProviderKind,
    base_url: str,
    waited: float = 0.0,
) -> ProviderError:
    """Map any httpx exception (refused, DNS, proxy, timeout, dropped, bad URL) to a
    ProviderError. `waited` is the read timeout in force, for timeout sentences."""
    name = where(kind, base_url)
    provider = kind.value
    if isinstance(exc, httpx.ConnectTimeout):
        return ProviderUnreachable(
            f"Could not connect to {name} in time.", _reach_hint(kind, base_url), provider=provider
        )
    if isinstance(exc, httpx.TimeoutException):
        return timeout_error(kind, base_url, seconds=waited, phase="reply")
    if isinstance(exc, httpx.ProxyError):
        return ProviderUnreachable(
            f"Could not reach {name} through the configured proxy.",
            "Check the HTTPS_PROXY / HTTP_PROXY settings of this computer.",
            provider=provider,
        )
    if isinstance(exc, httpx.ConnectError):
        return ProviderUnreachable(
            f"Could not reach {name}.", _reach_hint(kind, base_url), provider=provider
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return RequestRejected(
            f"The server address {base_url!r} is not a valid http or https URL.",
            "Fix the server URL in Settings (or the OLLAMA_HOST variable).",
            provider=provider,
        )
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return StreamInterrupted(
            f"The connection to {name} broke off.",
            "Try again.",
            provider=provider,
        )
    return ProviderFailure(
        f"{subject(kind, base_url)} sent a reply Hearth could not read ({type(exc).__name__}).",
        "Check that the URL points at an Ollama server.",
        provider=provider,
    )


def stream_error(
    message: str, *, kind: ProviderKind, base_url: str, model: str = ""
) -> ProviderError:
    """Map an `{"error": ...}` line that arrived in the middle of a stream."""
    low = message.lower()
    if "usage limit" in low:
        return _rate_limited(message, kind.value, None)
    if "overloaded" in low:
        return _unavailable(kind, base_url, message)
    if "pull model manifest" in low and "file does not exist" in low:
        return ModelNotFound(
            f"There is no model named {model or '(none)'} in the Ollama library "
            f"(the server said: {message.strip()}).",
            "Check the name at https://ollama.com/library.",
            provider=kind.value,
            model=model,
        )
    return StreamInterrupted(
        f"{subject(kind, base_url)} stopped with an error: {message.strip().rstrip('.')}.",
        "Try again.",
        provider=kind.value,
    )
