"""Personal data is removed before text goes to the cloud, ordinary text is left alone; and
which server addresses are on this computer (the Settings dialog warns about the rest)."""

from __future__ import annotations

import pytest

from desktop.core.privacy import Scrubber, iban_valid, is_loopback_url, luhn_valid

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        (
            "Write to anna.petrova+work@example.co.uk today",
            "email",
            "anna.petrova+work@example.co.uk",
        ),
        ("Card 4111 1111 1111 1111 expires", "card", "4111 1111 1111 1111"),
        ("Pay DE89 3704 0044 0532 0130 00 now", "iban", "DE89 3704 0044 0532 0130 00"),
        ("server at 192.168.10.24 is down", "ip", "192.168.10.24"),
        ("v6 host 2001:db8::8a2e:370:7334 answers", "ip", "2001:db8::8a2e:370:7334"),
        ("Позвоните +7 916 123-45-67 вечером", "phone", "+7 916 123-45-67"),
        ("key sk-proj-abcdefghijklmnop1234 leaked", "api_key", "sk-proj-abcdefghijklmnop1234"),
        (
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456",
            "api_key",
            "abcdefghijklmnopqrstuvwxyz123456",
        ),
        ("邮箱 wang.wei@example.cn 联系", "email", "wang.wei@example.cn"),
    ],
)
def test_detects_and_replaces(text: str, kind: str, secret: str) -> None:
    result = Scrubber().preview(text)
    assert secret not in result.text
    assert [r.kind for r in result.redactions] == [kind]
    assert result.redactions[0].original == secret
    assert result.text == text.replace(secret, result.redactions[0].placeholder)


@pytest.mark.parametrize(
    "text",
    [
        "Revenue grew 12% in 2024 to 4,111,111 dollars.",
        "Card-like but invalid: 4111 1111 1111 1112.",
        "Version 10.2.3 of the tool, section 3.1.2, at 12:30:45.",
        "Ordinary words: the IBAN field is empty.",
        "Не трогайте этот текст: 2024 год, 15 страниц.",
    ],
)
def test_leaves_ordinary_text_alone(text: str) -> None:
    result = Scrubber().preview(text)
    assert result.text == text
    assert not result.changed


def test_same_value_same_placeholder_across_calls() -> None:
    scrubber = Scrubber()
    first = scrubber.scrub("a@example.com and b@example.com")
    second = scrubber.scrub("reply to b@example.com")
    assert first == "[email 1] and [email 2]"
    assert second == "reply to [email 2]"


def test_custom_patterns() -> None:
    scrubber = Scrubber([r"\bPRJ-\d{4}\b"])
    assert scrubber.scrub("Ticket PRJ-1234 is open") == "Ticket [custom 1 1] is open"
    with pytest.raises(ValueError, match="not valid"):
        Scrubber(["(unclosed"])


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")


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
