"""The helpers behind `hearth config`: the settings schema, types described and parsed."""

from __future__ import annotations

import pytest

from desktop.cli.config import accepts, parse_value, schema
from desktop.core.settings import Settings

pytestmark = pytest.mark.unit


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
