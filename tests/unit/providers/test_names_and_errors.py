"""Cloud model names on both routes, and the sentence each HTTP failure shows."""

from __future__ import annotations

import json

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
    ServerBusy,
    StreamInterrupted,
    SubscriptionRequired,
)
from desktop.core.models import ProviderKind
from desktop.providers.errors import error_text, status_error, stream_error, transport_error
from desktop.providers.names import direct_cloud_name, is_cloud_name, local_route_name, same_model

pytestmark = pytest.mark.unit
LOCAL = {"kind": ProviderKind.LOCAL, "base_url": "http://127.0.0.1:11434"}
CLOUD = {"kind": ProviderKind.CLOUD, "base_url": "https://ollama.com"}


@pytest.mark.parametrize(
    ("name", "cloud", "direct", "local"),
    [
        ("gpt-oss:120b", False, "gpt-oss:120b", "gpt-oss:120b-cloud"),
        ("gpt-oss:120b-cloud", True, "gpt-oss:120b", "gpt-oss:120b-cloud"),
        ("glm-4.7:cloud", True, "glm-4.7", "glm-4.7:cloud"),
        ("glm-5.2", False, "glm-5.2", "glm-5.2:cloud"),
        ("gpt-oss:120b:cloud", True, "gpt-oss:120b", "gpt-oss:120b:cloud"),
        (
            "registry.example:5000/team/m",
            False,
            "registry.example:5000/team/m",
            "registry.example:5000/team/m:cloud",
        ),
        ("llama3.2:local", False, "llama3.2", "llama3.2:local-cloud"),
    ],
)
def test_cloud_names_on_both_routes(name: str, cloud: bool, direct: str, local: str) -> None:
    assert is_cloud_name(name) is cloud
    assert direct_cloud_name(name) == direct
    assert local_route_name(name) == local


def test_same_model_defaults_the_tag() -> None:
    assert same_model("llama3.2", "llama3.2:latest")
    assert not same_model("llama3.2", "llama3.2:1b")


def test_error_text_reads_json_and_plain_bodies() -> None:
    assert error_text(b'{"error":"model \'x\' not found"}') == "model 'x' not found"
    assert error_text("Service Temporarily Unavailable") == "Service Temporarily Unavailable"


def test_unauthorized_names_the_key_source_never_the_key() -> None:
    err = status_error(401, '{"error":"unauthorized"}', **CLOUD, key_source="the system keyring")
    assert isinstance(err, AuthenticationFailed)
    assert "the system keyring" in err.message
    assert err.key_source == "the system keyring"
    assert "settings/keys" in err.hint


def test_subscription_required() -> None:
    body = json.dumps(
        {
            "error": "this model requires a subscription, upgrade for access: https://ollama.com/upgrade"
        }
    )
    err = status_error(403, body, **CLOUD, model="kimi-k2.6")
    assert isinstance(err, SubscriptionRequired)
    assert err.message == "The model kimi-k2.6 needs an Ollama Cloud subscription."


@pytest.mark.parametrize(
    ("body", "limit"),
    [
        ("you (bob) have reached your session usage limit, upgrade for higher limits", "session"),
        ("you've reached your weekly usage limit, please wait or upgrade to continue", "weekly"),
        ("you've reached your hourly usage limit, please wait or upgrade to continue", "hourly"),
        ("too many requests", ""),
    ],
)
def test_usage_limits_say_which(body: str, limit: str) -> None:
    err = status_error(429, json.dumps({"error": body}), **CLOUD)
    assert isinstance(err, RateLimited)
    assert err.limit == limit
    assert (f"your {limit} usage limit" if limit else "a usage limit") in err.message


def test_overloaded_and_busy() -> None:
    over = status_error(
        503, '{"error":"Server overloaded, please retry shortly (ref: x)"}', **CLOUD
    )
    assert isinstance(over, Overloaded)
    assert over.message == "Ollama Cloud is overloaded right now."
    busy = status_error(
        503,
        '{"error":"server busy, please try again.  maximum pending requests exceeded"}',
        **LOCAL,
    )
    assert isinstance(busy, ServerBusy)
    assert "busy" in busy.message
    assert over.retryable and busy.retryable


def test_model_not_found_offers_a_pull_locally_only() -> None:
    local = status_error(404, '{"error":"model \'mistral\' not found"}', **LOCAL, model="mistral")
    assert isinstance(local, ModelNotFound)
    assert local.can_pull
    assert "hearth models pull mistral" in local.hint
    cloud = status_error(404, '{"error":"model \'nope\' not found"}', **CLOUD, model="nope")
    assert isinstance(cloud, ModelNotFound)
    assert not cloud.can_pull


def test_bad_request_and_server_failure() -> None:
    bad = status_error(400, '{"error":"\\"llama3.2\\" does not support thinking"}', **LOCAL)
    assert isinstance(bad, RequestRejected)
    assert "does not support thinking" in bad.message
    boom = status_error(500, "runner crashed", **LOCAL)
    assert isinstance(boom, ProviderFailure)
    assert "runner crashed" in boom.message


def test_transport_failures() -> None:
    down = transport_error(httpx.ConnectError("refused"), **LOCAL)
    assert isinstance(down, ProviderUnreachable)
    assert "Is Ollama running?" in down.hint
    slow = transport_error(httpx.ReadTimeout("slow"), **CLOUD)
    assert isinstance(slow, ProviderTimeout)
    assert slow.message == "Ollama Cloud did not answer in time."
    cut = transport_error(httpx.RemoteProtocolError("peer closed"), **LOCAL)
    assert isinstance(cut, StreamInterrupted)


def test_errors_in_the_middle_of_a_stream() -> None:
    mid = stream_error("an error was encountered while running the model", **LOCAL)
    assert isinstance(mid, StreamInterrupted)
    assert "an error was encountered" in mid.message
    assert "partial answer was kept" in mid.hint
    limit = stream_error("you've reached your weekly usage limit", **CLOUD)
    assert isinstance(limit, RateLimited)
    assert limit.limit == "weekly"
