"""The one typed settings schema: every field has a default and a description.

Storage lives in `desktop.infra.settings_store`; the cloud API key is never part of this
schema (it lives in the OS keyring).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

DEFAULT_LOCAL_URL = "http://127.0.0.1:11434"
DEFAULT_CLOUD_URL = "https://ollama.com"


class _Section(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)


class ProviderSettings(_Section):
    mode: Literal["local", "cloud", "auto"] = Field(
        "auto",
        description="Where answers are written: Local (this machine's Ollama), Cloud "
        "(Ollama Cloud) or Auto (local when it has the model, else the cloud if enabled).",
    )
    local_url: str = Field(
        DEFAULT_LOCAL_URL,
        description="Base URL of the local Ollama server. OLLAMA_HOST or OLLAMA_URL in "
        "the environment take precedence.",
    )
    cloud_enabled: bool = Field(
        False,
        description="Allow requests to Ollama Cloud. Nothing is sent to the cloud unless "
        "this is on.",
    )
    cloud_url: str = Field(
        DEFAULT_CLOUD_URL,
        description="Base URL of Ollama Cloud (change only for a gateway or proxy). "
        "HEARTH_CLOUD_URL in the environment takes precedence.",
    )
    chat_model: str = Field("", description="Model used for answers on the local server.")
    cloud_model: str = Field(
        "", description="Model used for answers in the cloud (catalogue name, e.g. gpt-oss:120b)."
    )
    connect_timeout_s: float = Field(
        5.0, gt=0, description="Seconds to wait for a connection to a server."
    )
    first_token_timeout_s: float = Field(
        180.0,
        gt=0,
        description="Seconds to wait for the first token; generous for cloud cold starts "
        "and for loading big local models.",
    )
    retries: int = Field(
        3,
        ge=0,
        le=10,
        description="Retries for idempotent calls and for a chat that has "
        "not yet produced any text.",
    )


class SecretSettings(_Section):
    allow_file_fallback: bool = Field(
        False,
        description="When no OS keyring exists, keep the cloud API key in a file readable "
        "only by you. Less safe than a keyring; off unless you turn it on.",
    )


class EmbeddingSettings(_Section):
    embedder: str = Field(
        "builtin",
        description='"builtin" for the offline embedder shipped with Hearth, '
        '"ollama:<model>" for an Ollama embedding model such as ollama:bge-m3, or '
        '"onnx:<folder>" for an ONNX sentence-embedding model folder (model.onnx and '
        "tokenizer.json, as sentence-transformers exports it).",
    )
    batch_size: int = Field(32, ge=1, le=1024, description="Texts per embedding call.")


class ReadingSettings(_Section):
    time_limit_s: float = Field(
        120.0,
        ge=1,
        le=3600,
        description="Seconds one file may take to read (text, PDF, OCR of scans) before "
        "it is stopped and fails with that reason; the other files go on.",
    )
    memory_limit_mb: int = Field(
        2048,
        ge=128,
        le=65536,
        description="Megabytes of memory the reading of one file may use before it is "
        "stopped and fails with that reason; the other files go on.",
    )
    ocr: bool = Field(
        True,
        description="Read scans and pictures of pages (PNG, JPEG, TIFF, WebP, PDF pages "
        "without a text layer) by OCR, offline. Off: such files and pages are left out.",
    )


class RetrievalSettings(_Section):
    top_k: int = Field(8, ge=1, le=100, description="Passages placed in the prompt.")
    use_mmr: bool = Field(False, description="Prefer diverse passages over near-duplicates.")
    chunk_tokens: int = Field(350, ge=64, le=4096, description="Target chunk size in tokens.")
    chunk_overlap: int = Field(50, ge=0, le=1024, description="Tokens shared by neighbour chunks.")


class PrivacySettings(_Section):
    scrub_cloud_text: bool = Field(
        False,
        description="Remove personal data (e-mail, phone, card numbers, keys) from text "
        "before it goes to the cloud.",
    )
    custom_patterns: list[str] = Field(
        default_factory=list, description="Extra regular expressions to scrub."
    )
    local_only_kbs: list[str] = Field(
        default_factory=list,
        description="Knowledge bases whose passages must never be sent to the cloud: "
        "questions about them are answered by the local server only.",
    )


def rename_local_only(settings: PrivacySettings, name: str, new_name: str) -> bool:
    """Keep a renamed knowledge base's never-to-the-cloud mark; whether anything changed."""
    if name not in settings.local_only_kbs:
        return False
    settings.local_only_kbs = [new_name if kb == name else kb for kb in settings.local_only_kbs]
    return True


class StoreSettings(_Section):
    chroma_mode: Literal["embedded", "server"] = Field(
        "embedded",
        description="embedded: vectors live in the data folder; server: a Chroma server.",
    )
    chroma_url: str = Field(
        "http://127.0.0.1:8000", description="Chroma server URL (server mode only)."
    )


class UiSettings(_Section):
    theme: Literal["system", "light", "dark"] = Field("system", description="Colour theme.")
    language: Literal["system", "en", "ru", "zh_CN"] = Field(
        "system", description="Language of the window."
    )


class ClaudeSettings(_Section):
    model: str = Field("", description="Model Claude Code uses through Ollama.")
    provider: Literal["local", "cloud"] = Field(
        "local",
        description="local: Claude Code talks to the local server (cloud models as "
        "NAME:cloud); cloud: straight to Ollama Cloud with the API key.",
    )


class Settings(_Section):
    """Everything a person can change. The API key is not here (see SecretStore)."""

    schema_version: int = Field(SCHEMA_VERSION, description="Settings file format version.")
    provider: ProviderSettings = Field(default_factory=ProviderSettings)
    secrets: SecretSettings = Field(default_factory=SecretSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    reading: ReadingSettings = Field(default_factory=ReadingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    claude: ClaudeSettings = Field(default_factory=ClaudeSettings)
