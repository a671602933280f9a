"""The helpers behind `hearth config` and `hearth key`."""

from __future__ import annotations

import getpass
import io
import sys

import pytest

from desktop.cli.config import accepts, parse_value, schema
from desktop.cli.key import read_key, source_kind
from desktop.core.settings import Settings
from desktop.infra.secrets import ENV_SOURCE, NO_KEY


def test_schema_has_every_section_field_and_no_version() -> None:
    keys = schema()
    assert "provider.chat_model" in keys and "privacy.local_only_kbs" in keys
    assert "schema_version" not in keys
    assert not any("api_key" in k for k in keys)
    sections = {k.split(".")[0] for k in keys}
    assert sections == set(Settings.model_fields) - {"schema_version"}


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("provider.mode", "one of: local, cloud, auto"),
        ("provider.cloud_enabled", "true or false"),
        ("retrieval.top_k", "a whole number"),
        ("provider.connect_timeout_s", "a number"),
        ("privacy.local_only_kbs", 'a JSON list of text, e.g. ["a", "b"] (or [] for none)'),
        ("provider.chat_model", "text"),
    ],
)
def test_accepts_describes_the_type(key: str, words: str) -> None:
    assert accepts(schema()[key]) == words


def test_values_are_parsed_by_the_setting_type() -> None:
    fields = schema()
    assert parse_value("123", fields["provider.chat_model"]) == "123"  # text stays text
    assert parse_value("true", fields["provider.cloud_enabled"]) is True
    assert parse_value("2.5", fields["provider.connect_timeout_s"]) == 2.5
    assert parse_value('["a"]', fields["privacy.local_only_kbs"]) == ["a"]
    assert parse_value("cloud", fields["provider.mode"]) == "cloud"


def test_source_kinds() -> None:
    assert source_kind(ENV_SOURCE) == "environment"
    assert source_kind(NO_KEY) == "none"
    assert source_kind("the key file /x/key (readable only by you)") == "file"
    assert source_kind("the system keyring (SecretService Keyring)") == "keyring"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_key_on_a_terminal_comes_from_a_prompt_without_echo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return "sk-typed"

    monkeypatch.setattr(sys, "stdin", _Terminal("sk-never-read\n"))
    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    assert read_key() == "sk-typed"
    assert prompts == ["Ollama Cloud API key (not shown): "]


def test_key_from_a_pipe_is_read_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("sk-piped\n"))
    assert read_key() == "sk-piped\n"
