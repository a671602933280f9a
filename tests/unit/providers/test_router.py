"""Where the local server and the cloud are: settings, OLLAMA_HOST / OLLAMA_URL and
HEARTH_CLOUD_URL, parsed the way the official client parses OLLAMA_HOST."""

from __future__ import annotations

import pytest

from desktop.core.errors import RequestRejected
from desktop.providers.router import cloud_base_url, local_base_url

pytestmark = pytest.mark.unit
SETTING = "http://127.0.0.1:11434"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.2.3.4", "http://1.2.3.4:11434"),
        (":56789", "http://127.0.0.1:56789"),
        ("1.2.3.4:56789", "http://1.2.3.4:56789"),
        ("http://1.2.3.4", "http://1.2.3.4:80"),
        ("https://1.2.3.4", "https://1.2.3.4:443"),
        ("https://1.2.3.4:56789", "https://1.2.3.4:56789"),
        ("example.com", "http://example.com:11434"),
        ("example.com/", "http://example.com:11434"),
        ("example.com:56789/path/", "http://example.com:56789/path"),
        ("[0001:002:003:0004::1]", "http://[0001:002:003:0004::1]:11434"),
        ("https://[0001:002:003:0004::1]:56789/path", "https://[0001:002:003:0004::1]:56789/path"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:11500", "http://127.0.0.1:11500"),
        ("  gpu-box:8080  ", "http://gpu-box:8080"),
    ],
)
def test_ollama_host_forms(value: str, expected: str) -> None:
    assert local_base_url(SETTING, {"OLLAMA_HOST": value}) == expected


def test_precedence_host_then_url_then_setting() -> None:
    assert local_base_url(SETTING, {}) == "http://127.0.0.1:11434"
    assert local_base_url("http://box:9000", {}) == "http://box:9000"
    assert local_base_url(SETTING, {"OLLAMA_URL": "http://url-box:1"}) == "http://url-box:1"
    both = {"OLLAMA_HOST": "host-box:2", "OLLAMA_URL": "http://url-box:1"}
    assert local_base_url(SETTING, both) == "http://host-box:2"
    assert local_base_url("", {}) == "http://127.0.0.1:11434"


def test_a_bad_port_is_a_clear_error() -> None:
    with pytest.raises(RequestRejected) as info:
        local_base_url(SETTING, {"OLLAMA_HOST": "box:notaport"})
    assert info.value.message == "The local server address 'box:notaport' is not valid."


def test_cloud_url_override() -> None:
    assert cloud_base_url("https://ollama.com", {}) == "https://ollama.com"
    assert cloud_base_url("", {}) == "https://ollama.com"
    assert (
        cloud_base_url("https://ollama.com", {"HEARTH_CLOUD_URL": "https://gw.example/"})
        == "https://gw.example"
    )
