"""Which server addresses are on this computer (the Settings dialog warns about the rest)."""

from __future__ import annotations

import pytest

from desktop.core.privacy import is_loopback_url

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://127.0.0.1:11434",
        "http://localhost:11434/",
        "127.0.0.2:11434",
        "http://[::1]:11434",
        "0.0.0.0",
        "https://LOCALHOST",
        "http://ollama.localhost:11434",
    ],
)
def test_loopback_addresses(url: str) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://192.168.1.20:11434",
        "https://ollama.example.com",
        "gpu-box:11434",
        "http://10.0.0.1",
        "http://127.0.0.1.evil.com",
        "http://localhost@evil.com",
        "http://[::1",
    ],
)
def test_other_machines(url: str) -> None:
    assert not is_loopback_url(url)
