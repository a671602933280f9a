"""Retries with backoff: what is retried, how often, and how long the waits are.

The client runs over httpx.MockTransport (a fake at the HTTP boundary) so each test can
script statuses and headers and count the requests that reached the "server".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from desktop.core.errors import (
    AuthenticationFailed,
    ModelNotFound,
    Overloaded,
    ProviderFailure,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimited,
    RequestRejected,
    SubscriptionRequired,
)
from desktop.core.models import ProviderKind
from desktop.providers.ollama import OllamaClient
from desktop.providers.retry import RetryPolicy, is_retryable, parse_retry_after

pytestmark = pytest.mark.unit
TAGS = {"models": [{"model": "llama3.2:latest", "size": 1, "details": {}}]}
Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*replies: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    """A handler that answers with `replies` in turn (the last one repeats)."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        reply = replies[min(len(seen), len(replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        return reply

    return handle, seen


def client(
    handler: Handler, *, retries: int = 3, kind: ProviderKind = ProviderKind.CLOUD
) -> OllamaClient:
    return OllamaClient(
        "https://ollama.test",
        kind=kind,
        api_key="sk-unit",
        retries=retries,
        backoff_base=0.001,
        transport=httpx.MockTransport(handler),
    )


def error(status: int, text: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": text}, headers=headers)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("12", 12.0),
        ("0", 0.0),
        ("-5", 0.0),
        ("Wed, 21 Oct 2026 07:28:30 GMT", 30.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(value, now=now) == seconds


def test_backoff_is_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(retries=5, backoff_base=1.0, backoff_cap=4.0)
    exc = Overloaded("busy")
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (4, 4.0)):
        delays = [policy.delay(attempt, exc) for _ in range(300)]
        assert all(0.0 <= d <= ceiling for d in delays)
        # Full jitter reaches down towards zero, not just around the ceiling.
        assert min(delays) < ceiling / 4
        assert max(delays) > ceiling / 2


def test_backoff_waits_at_least_the_retry_after() -> None:
    policy = RetryPolicy(retries=3, backoff_base=0.01)
    limited = RateLimited("limit", retry_after=7.0)
    assert all(policy.delay(1, limited) >= 7.0 for _ in range(50))


@pytest.mark.parametrize(
    ("exc", "retry"),
    [
        (ProviderUnreachable("down"), True),
        (ProviderTimeout("slow"), True),
        (Overloaded("busy"), True),
        (RateLimited("limit", retry_after=30.0), True),
        (RateLimited("limit", retry_after=31.0), False),
        (RateLimited("limit"), False),
        (AuthenticationFailed("key"), False),
        (SubscriptionRequired("pay"), False),
        (ModelNotFound("none"), False),
        (RequestRejected("bad"), False),
        (ProviderFailure("500"), False),
    ],
)
def test_what_is_retryable(exc: Exception, retry: bool) -> None:
    assert isinstance(exc, Exception)
    assert is_retryable(exc) is retry  # type: ignore[arg-type]


async def test_transient_errors_are_retried_until_success() -> None:
    handler, seen = scripted(
        error(503, "Server overloaded, please retry shortly"),
        httpx.ConnectError("refused"),
        httpx.Response(200, json=TAGS),
    )
    async with client(handler) as c:
        models = await c.list_models()
    assert [m.name for m in models] == ["llama3.2:latest"]
    assert len(seen) == 3


async def test_retries_give_up_with_the_last_error() -> None:
    handler, seen = scripted(httpx.ConnectError("refused"))
    async with client(handler, retries=2) as c:
        with pytest.raises(ProviderUnreachable):
            await c.running()
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("status", "text", "kind"),
    [
        (400, "invalid input type", RequestRejected),
        (401, "unauthorized", AuthenticationFailed),
        (403, "this model requires a subscription", SubscriptionRequired),
        (404, "model 'x' not found", ModelNotFound),
        (500, "runner crashed", ProviderFailure),
    ],
)
async def test_refusals_are_never_retried(status: int, text: str, kind: type) -> None:
    handler, seen = scripted(error(status, text))
    async with client(handler) as c:
        with pytest.raises(kind):
            await c.show("x")
    assert len(seen) == 1


async def test_a_short_retry_after_is_waited_out() -> None:
    handler, seen = scripted(
        error(429, "too many requests", **{"Retry-After": "0"}),
        httpx.Response(200, json=TAGS),
    )
    async with client(handler) as c:
        assert len(await c.list_models()) == 1
    assert len(seen) == 2


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "3600"}])
async def test_a_usage_limit_without_a_short_retry_after_is_not_retried(
    headers: dict[str, str],
) -> None:
    handler, seen = scripted(error(429, "you've reached your session usage limit", **headers))
    async with client(handler) as c:
        with pytest.raises(RateLimited) as info:
            await c.list_models()
    assert len(seen) == 1
    assert info.value.limit == "session"
    assert info.value.retry_after == (3600.0 if headers else None)


async def test_a_stream_is_retried_before_its_first_token() -> None:
    done = b'{"message":{"role":"assistant","content":"Hi"},"done":false}\n' + (
        b'{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}\n'
    )
    handler, seen = scripted(
        error(429, "slow down", **{"Retry-After": "0"}),
        httpx.ReadTimeout("no headers"),
        httpx.Response(200, content=done, headers={"Content-Type": "application/x-ndjson"}),
    )
    async with client(handler) as c:
        deltas = [d async for d in c.chat_stream("gpt-oss:120b", [])]
    assert [d.content for d in deltas] == ["Hi", ""]
    assert deltas[-1].done
    assert len(seen) == 3


async def test_delete_is_not_retried() -> None:
    handler, seen = scripted(error(503, "server busy"))
    async with client(handler, kind=ProviderKind.LOCAL) as c:
        with pytest.raises(Exception, match="busy"):
            await c.delete("llama3.2")
    assert len(seen) == 1


async def test_an_invalid_base_url_is_a_clear_error() -> None:
    with pytest.raises(RequestRejected) as info:
        OllamaClient("http://box:port", kind=ProviderKind.LOCAL)
    assert (
        info.value.message
        == "The server address 'http://box:port' is not a valid http or https URL."
    )
    async with OllamaClient("box-without-scheme", kind=ProviderKind.LOCAL, retries=0) as c:
        with pytest.raises(RequestRejected):
            await c.list_models()


async def test_a_reply_that_is_not_json() -> None:
    handler, seen = scripted(httpx.Response(200, text="<html>captive portal</html>"))
    async with client(handler) as c:
        with pytest.raises(ProviderFailure) as info:
            await c.list_models()
    assert info.value.message == "Ollama Cloud sent a reply that is not JSON."
    assert len(seen) == 1


async def test_a_timeout_of_an_ordinary_call() -> None:
    handler, seen = scripted(httpx.ReadTimeout("slow"))
    async with client(handler, retries=1) as c:
        with pytest.raises(ProviderTimeout) as info:
            await c.list_models()
    assert info.value.message == "Ollama Cloud did not answer in time (waited 60 s)."
    assert len(seen) == 2
