"""Masking secrets in text: the explicit helper and the log-wide scrubber."""

from __future__ import annotations

import pytest

from desktop.infra.logging import redact, register_secret, scrub

pytestmark = pytest.mark.unit


def test_redact_masks_each_given_secret() -> None:
    assert redact("a=s3cret-one b=s3cret-two", ["s3cret-one", "s3cret-two"]) == "a=*** b=***"


def test_redact_ignores_empty_secrets_and_masks_longest_first() -> None:
    assert redact("keep me", ["", "other"]) == "keep me"
    assert redact("token abc123xyz", ["abc", "abc123xyz"]) == "token ***"


def test_scrub_masks_registered_secrets() -> None:
    register_secret("hearth-unit-registered-77")
    assert scrub("key=hearth-unit-registered-77;") == "key=***;"


def test_short_values_are_not_registered() -> None:
    register_secret("ab")
    register_secret(None)
    register_secret("")
    assert scrub("ab cab") == "ab cab"


def test_scrub_masks_bearer_tokens_and_ollama_shaped_keys() -> None:
    ollama_key = "0123456789abcdef0123456789abcdef.Zx9_yW8-vU7tS6rQ5pO4"
    text = f"Authorization: Bearer abcdefghijkl; key {ollama_key} used"
    assert scrub(text) == "Authorization: Bearer ***; key *** used"


def test_scrub_leaves_ordinary_text() -> None:
    text = "Loaded 12 files from /home/ana/notes in 0.4 s (model llama3.2:latest)"
    assert scrub(text) == text
