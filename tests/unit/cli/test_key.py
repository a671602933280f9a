"""The helpers behind `hearth key`: where a key came from, and how it is read."""

from __future__ import annotations

import getpass
import io
import sys

import pytest

from desktop.cli.key import read_key, source_kind
from desktop.infra.secrets import ENV_SOURCE, NO_KEY

pytestmark = pytest.mark.unit


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
