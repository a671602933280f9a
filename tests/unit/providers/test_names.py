"""Model names: parsing, cloud names, and the name each route into the cloud expects."""

from __future__ import annotations

import pytest

from desktop.core.errors import RequestRejected
from desktop.providers.names import (
    ModelName,
    direct_cloud_name,
    is_cloud_name,
    local_route_name,
    parse_model_name,
    same_model,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("llama3.2", ModelName("", "", "llama3.2", "", "")),
        ("llama3.2:1b", ModelName("", "", "llama3.2", "1b", "")),
        ("team/model:v2", ModelName("", "team", "model", "v2", "")),
        (
            "registry.example:5000/team/m",
            ModelName("registry.example:5000", "team", "m", "", ""),
        ),
        (
            "registry.example:5000/team/m:q4",
            ModelName("registry.example:5000", "team", "m", "q4", ""),
        ),
        ("glm-4.7:cloud", ModelName("", "", "glm-4.7", "", "cloud")),
        ("gpt-oss:120b-cloud", ModelName("", "", "gpt-oss", "120b", "cloud")),
        ("gpt-oss:120b:cloud", ModelName("", "", "gpt-oss", "120b", "cloud")),
        ("qwen3:8b:local", ModelName("", "", "qwen3", "8b", "local")),
        ("glm-4.7-cloud", ModelName("", "", "glm-4.7-cloud", "", "")),
        (" llama3.2 ", ModelName("", "", "llama3.2", "", "")),
    ],
)
def test_parse_model_name(name: str, parsed: ModelName) -> None:
    assert parse_model_name(name) == parsed


@pytest.mark.parametrize(
    ("name", "cloud", "direct", "local_route"),
    [
        ("gpt-oss:120b", False, "gpt-oss:120b", "gpt-oss:120b-cloud"),
        ("gpt-oss:120b-cloud", True, "gpt-oss:120b", "gpt-oss:120b-cloud"),
        ("gpt-oss:120b:cloud", True, "gpt-oss:120b", "gpt-oss:120b:cloud"),
        ("glm-4.7:cloud", True, "glm-4.7", "glm-4.7:cloud"),
        ("glm-5.2", False, "glm-5.2", "glm-5.2:cloud"),
        ("glm-4.7-cloud", False, "glm-4.7-cloud", "glm-4.7-cloud:cloud"),
        ("llama3.2:local", False, "llama3.2", "llama3.2:cloud"),
        (
            "registry.example:5000/team/m",
            False,
            "registry.example:5000/team/m",
            "registry.example:5000/team/m:cloud",
        ),
    ],
)
def test_cloud_names_on_both_routes(name: str, cloud: bool, direct: str, local_route: str) -> None:
    assert is_cloud_name(name) is cloud
    assert direct_cloud_name(name) == direct
    assert local_route_name(name) == local_route


@pytest.mark.parametrize(
    "name", ["llama3.2:local:cloud", "llama3.2:cloud:local", "gpt-oss:120b-cloud:local"]
)
def test_local_and_cloud_together_is_an_error(name: str) -> None:
    with pytest.raises(RequestRejected) as info:
        is_cloud_name(name)
    assert "both :local and" in info.value.message
    assert info.value.hint == "Use either, not both."


@pytest.mark.parametrize("name", [":cloud", "team/", ""])
def test_a_name_without_a_model_is_an_error(name: str) -> None:
    with pytest.raises(RequestRejected) as info:
        parse_model_name(name)
    assert "names no model" in info.value.message


def test_an_empty_name_is_no_cloud_name() -> None:
    assert is_cloud_name("") is False


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("llama3.2", "llama3.2:latest", True),
        ("llama3.2", "registry.ollama.ai/library/llama3.2:latest", True),
        ("llama3.2", "llama3.2:1b", False),
        ("team/m", "m", False),
    ],
)
def test_same_model_fills_in_defaults(a: str, b: str, same: bool) -> None:
    assert same_model(a, b) is same
