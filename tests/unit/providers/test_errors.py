"""The sentence and the hint each provider failure shows, one test per error kind."""

from __future__ import annotations

import json

import httpx
import pytest

from desktop.core.errors import (
    AuthenticationFailed,
    Cancelled,
    ModelNotFound,
    Overloaded,
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
from desktop.providers.errors import (
    error_text,
    status_error,
    stream_error,
    timeout_error,
    transport_error,
)

pytestmark = pytest.mark.unit
LOCAL_URL = "http://127.0.0.1:11434"
LOCAL = {"kind": ProviderKind.LOCAL, "base_url": LOCAL_URL}
CLOUD = {"kind": ProviderKind.CLOUD, "base_url": "https://ollama.com"}


def body(error: str, **extra: str) -> str:
    return json.dumps({"error": error, **extra})


def test_error_text_reads_json_and_plain_bodies() -> None:
    assert error_text(b'{"error":"model \'x\' not found"}') == "model 'x' not found"
    assert error_text("Service Temporarily Unavailable") == "Service Temporarily Unavailable"
    assert error_text('{"error":{"message":"overloaded"}}') == "overloaded"


def test_unreachable_local_server_says_how_to_start_it_and_names_the_url() -> None:
    err = transport_error(httpx.ConnectError("refused"), **LOCAL)
    assert isinstance(err, ProviderUnreachable)
    assert err.message == f"Could not reach the Ollama server at {LOCAL_URL}."
    assert err.hint == "Is Ollama running? Start it with `ollama serve` or open the Ollama app."
    assert err.retryable


def test_unreachable_cloud_points_at_the_connection() -> None:
    err = transport_error(httpx.ConnectTimeout("slow"), **CLOUD)
    assert isinstance(err, ProviderUnreachable)
    assert err.message == "Could not connect to Ollama Cloud in time."
    assert err.hint == (
        "Check your internet connection and the cloud URL (https://ollama.com) in Settings."
    )


def test_timeouts_say_what_was_awaited() -> None:
    first = timeout_error(ProviderKind.CLOUD, "https://ollama.com", seconds=180, phase="first")
    assert isinstance(first, ProviderTimeout)
    assert first.message == "Ollama Cloud did not answer in time: no reply started within 180 s."
    assert "cloud cold starts" in first.hint
    assert "first-token timeout" in first.hint
    between = timeout_error(ProviderKind.LOCAL, LOCAL_URL, seconds=60, phase="between")
    assert between.message.endswith("the reply stalled for 60 s.")
    read = transport_error(httpx.ReadTimeout("slow"), **LOCAL, waited=12.5)
    assert isinstance(read, ProviderTimeout)
    assert (
        read.message == f"The Ollama server at {LOCAL_URL} did not answer in time (waited 12.5 s)."
    )


def test_unauthorized_cloud_names_the_key_source_and_the_fix() -> None:
    err = status_error(
        401, body("unauthorized"), **CLOUD, key_source="the OLLAMA_API_KEY environment variable"
    )
    assert isinstance(err, AuthenticationFailed)
    assert err.message == (
        "Ollama Cloud rejected the API key from the OLLAMA_API_KEY environment variable."
    )
    assert err.hint == (
        "The key may be mistyped or revoked. Create a key at "
        "https://ollama.com/settings/keys and paste it in Settings."
    )
    assert err.key_source == "the OLLAMA_API_KEY environment variable"


def test_unauthorized_without_a_key_says_none_is_set() -> None:
    err = status_error(401, body("unauthorized"), **CLOUD)
    assert isinstance(err, AuthenticationFailed)
    assert err.message == "Ollama Cloud needs an API key, and no API key is set."
    assert "https://ollama.com/settings/keys" in err.hint
    assert err.key_source == "no API key is set"


def test_signed_out_local_server_says_ollama_signin_with_the_link() -> None:
    link = "https://ollama.com/connect?name=box&key=abc"
    err = status_error(401, body("unauthorized", signin_url=link), **LOCAL, model="glm-4.7:cloud")
    assert isinstance(err, AuthenticationFailed)
    assert err.message == (
        f"The Ollama server at {LOCAL_URL} is not signed in to Ollama Cloud, "
        "so it cannot run the cloud model glm-4.7:cloud."
    )
    assert err.hint == (
        f"Run `ollama signin` or open {link} to connect this machine, "
        "or use Hearth's Cloud mode with an API key."
    )


def test_subscription_required_links_the_upgrade() -> None:
    text = "this model requires a subscription, upgrade for access: https://ollama.com/upgrade"
    err = status_error(403, body(text), **CLOUD, model="kimi-k2.6")
    assert isinstance(err, SubscriptionRequired)
    assert err.message == "The model kimi-k2.6 needs an Ollama Cloud subscription."
    assert err.hint == "Upgrade at https://ollama.com/upgrade, or choose another model."
    assert not err.retryable


@pytest.mark.parametrize(
    ("text", "limit", "reset"),
    [
        (
            "you (bob) have reached your session usage limit, upgrade for higher limits",
            "session",
            "The session limit resets every 5 hours.",
        ),
        (
            "you've reached your weekly usage limit, please wait or upgrade to continue",
            "weekly",
            "The weekly limit resets every 7 days.",
        ),
        (
            "you've reached your hourly usage limit, please wait or upgrade to continue",
            "hourly",
            "The hourly limit resets within the hour.",
        ),
        ("too many requests", "", "the session limit every 5 hours, the weekly limit every 7"),
    ],
)
def test_rate_limits_say_which_and_when_they_reset(text: str, limit: str, reset: str) -> None:
    err = status_error(429, body(text), **CLOUD)
    assert isinstance(err, RateLimited)
    assert err.limit == limit
    what = f"your {limit} usage limit" if limit else "a usage limit"
    assert err.message == f"Ollama Cloud says you reached {what}."
    assert reset in err.hint
    assert "https://ollama.com/upgrade" in err.hint
    assert err.retry_after is None


def test_rate_limit_with_retry_after_says_when_to_try() -> None:
    err = status_error(429, body("slow down"), **CLOUD, retry_after=12)
    assert isinstance(err, RateLimited)
    assert err.retry_after == 12
    assert err.hint.startswith("Try again in 12 s.")


@pytest.mark.parametrize(
    ("payload", "content"),
    [
        (body("Server overloaded, please retry shortly (ref: 1f2e)"), "json"),
        ("Service Temporarily Unavailable", "text"),
    ],
)
def test_cloud_overload_json_or_plain(payload: str, content: str) -> None:
    err = status_error(503, payload, **CLOUD)
    assert isinstance(err, Overloaded), content
    assert err.message == "Ollama Cloud is overloaded right now."
    assert err.hint == "Retry shortly, or switch to a local model."


def test_local_server_busy() -> None:
    text = "server busy, please try again.  maximum pending requests exceeded"
    err = status_error(503, body(text), **LOCAL)
    assert isinstance(err, ServerBusy)
    assert err.message == (
        f"The Ollama server at {LOCAL_URL} is busy: its queue of pending requests is full."
    )
    assert err.hint == "Try again in a moment."


def test_missing_local_model_offers_a_pull() -> None:
    err = status_error(404, body("model 'mistral' not found"), **LOCAL, model="mistral")
    assert isinstance(err, ModelNotFound)
    assert err.can_pull
    assert err.model == "mistral"
    assert err.message == f"The model mistral is not available on the Ollama server at {LOCAL_URL}."
    assert err.hint == (
        "Pull it with `hearth models pull mistral` (or `ollama pull mistral`), "
        "or choose an installed model."
    )


def test_missing_cloud_model_points_at_the_catalogue() -> None:
    err = status_error(404, body("model 'nope' not found"), **CLOUD, model="nope")
    assert isinstance(err, ModelNotFound)
    assert not err.can_pull
    assert err.hint == (
        "Choose a model from the Ollama Cloud catalogue (the model picker lists it in Cloud mode)."
    )


def test_unknown_route_on_the_cloud_is_not_a_missing_model() -> None:
    err = status_error(404, "404 page not found", **CLOUD, model="nomic-embed-text")
    assert isinstance(err, RequestRejected)
    assert err.message == "Ollama Cloud does not offer this operation."
    assert "embeddings and downloads need the local server" in err.hint


def test_bad_request_quotes_the_server() -> None:
    err = status_error(400, body('"llama3.2" does not support thinking'), **LOCAL)
    assert isinstance(err, RequestRejected)
    assert err.message == (
        f'The Ollama server at {LOCAL_URL} refused the request: "llama3.2" does not support '
        "thinking."
    )
    assert err.hint == "Check the chosen model and its settings."
    assert not err.retryable


def test_cloud_disabled_on_the_local_server() -> None:
    err = status_error(403, body("ollama cloud is disabled: remote model is unavailable"), **LOCAL)
    assert isinstance(err, RequestRejected)
    assert err.message == f"Cloud models are turned off on the Ollama server at {LOCAL_URL}."


def test_server_failure() -> None:
    err = status_error(500, body("llama runner process has terminated"), **LOCAL)
    assert isinstance(err, ProviderFailure)
    assert err.message == (
        f"The Ollama server at {LOCAL_URL} failed (500): llama runner process has terminated."
    )
    assert err.hint == "Try again; if it keeps failing, look at the Ollama server's log."


def test_cancelled_request() -> None:
    err = status_error(499, body("request canceled"), **LOCAL)
    assert isinstance(err, Cancelled)
    assert err.message == "The request was cancelled before the answer was finished."


def test_dropped_connection_and_mid_stream_error() -> None:
    cut = transport_error(httpx.RemoteProtocolError("peer closed"), **LOCAL)
    assert isinstance(cut, StreamInterrupted)
    assert cut.message == f"The connection to the Ollama server at {LOCAL_URL} broke off."
    mid = stream_error("an error was encountered while running the model", **LOCAL)
    assert isinstance(mid, StreamInterrupted)
    assert mid.message == (
        f"The Ollama server at {LOCAL_URL} stopped with an error: an error was encountered "
        "while running the model."
    )
    assert mid.hint == "Try again."


def test_mid_stream_usage_limit_and_unknown_pull() -> None:
    limit = stream_error("you've reached your weekly usage limit", **CLOUD)
    assert isinstance(limit, RateLimited)
    assert limit.limit == "weekly"
    pull = stream_error("pull model manifest: file does not exist", **LOCAL, model="nope:1b")
    assert isinstance(pull, ModelNotFound)
    assert pull.message == (
        "There is no model named nope:1b in the Ollama library "
        "(the server said: pull model manifest: file does not exist)."
    )
    assert not pull.can_pull


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.UnsupportedProtocol("ftp"), RequestRejected),
        (httpx.InvalidURL("bad"), RequestRejected),
        (httpx.ProxyError("proxy down"), ProviderUnreachable),
        (httpx.ReadError("reset"), StreamInterrupted),
        (httpx.DecodingError("gzip"), ProviderFailure),
        (httpx.TooManyRedirects("loop"), ProviderFailure),
        (httpx.StreamClosed(), ProviderFailure),
    ],
)
def test_every_httpx_exception_is_translated(exc: Exception, kind: type) -> None:
    assert isinstance(exc, httpx.HTTPError | httpx.InvalidURL | httpx.StreamError)
    err = transport_error(exc, **LOCAL)
    assert isinstance(err, kind)
    assert err.message and err.hint
