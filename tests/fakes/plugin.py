"""Pytest fixtures that start fake Ollama servers (local and cloud) on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.ollama_server import FakeModel, FakeOllama

CLOUD_KEY = "sk-test-cloud-key-123"


def local_models() -> list[FakeModel]:
    return [
        FakeModel("llama3.2:latest", context_length=8192, capabilities=("completion", "tools")),
        FakeModel(
            "qwen3:8b",
            context_length=40960,
            capabilities=("completion", "thinking", "tools"),
            family="qwen3",
            parameter_size="8.2B",
        ),
        FakeModel(
            "nomic-embed-text:latest",
            context_length=2048,
            capabilities=("embedding",),
            family="nomic-bert",
            parameter_size="137M",
            quantization="F16",
            size=274_302_450,
            embedding_length=768,
        ),
    ]


def cloud_models() -> list[FakeModel]:
    return [
        FakeModel(
            "gpt-oss:120b",
            context_length=131072,
            capabilities=("completion", "thinking", "tools"),
            family="gptoss",
            parameter_size="116.8B",
            quantization="MXFP4",
            size=65_000_000_000,
        ),
        FakeModel(
            "gemma4:31b",
            context_length=131072,
            capabilities=("completion", "vision"),
            family="gemma4",
            parameter_size="31B",
            size=20_000_000_000,
        ),
    ]


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    """A local Ollama server with a chat model, a thinking model and an embedding model."""
    with FakeOllama(models=local_models()) as server:
        yield server


@pytest.fixture
def fake_cloud() -> Iterator[FakeOllama]:
    """Ollama Cloud: demands `Authorization: Bearer sk-test-cloud-key-123`."""
    with FakeOllama(cloud=True, api_key=CLOUD_KEY, models=cloud_models()) as server:
        yield server
