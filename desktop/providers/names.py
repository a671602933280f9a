"""Ollama model names, and cloud model names on the two routes into Ollama Cloud.

A name is `[host/][namespace/]model[:tag]`; the tag defaults to `latest`. Since Ollama
0.18 a trailing `:cloud` or `:local`, or a tag ending in `-cloud`, is a source suffix:
`glm-4.7:cloud`, `gpt-oss:120b-cloud` and `gpt-oss:120b:cloud` send the model through a
signed-in local server to the cloud; `:local` forces the local copy; both at once is an
error. Straight to ollama.com a model has its plain catalogue name (`gpt-oss:120b`).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.errors import RequestRejected

_CLOUD = "cloud"
_LOCAL = "local"
_CLOUD_SUFFIX = "-cloud"
_DEFAULT_HOST = "registry.ollama.ai"
_DEFAULT_NAMESPACE = "library"
_DEFAULT_TAG = "latest"


@dataclass(frozen=True, slots=True)
class ModelName:
    """A parsed model name.

    Attributes:
        host: the registry host ("" for the default registry).
        namespace: the namespace ("" for the default one).
        model: the model itself.
        tag: the tag as written ("" when absent, which means `latest`).
        source: "cloud", "local" or "" (no source suffix).
    """

    host: str
    namespace: str
    model: str
    tag: str
    source: str

    @property
    def base(self) -> str:
        """The name without its source suffix, as written ("gpt-oss:120b")."""
        path = "/".join(p for p in (self.host, self.namespace, self.model) if p)
        return f"{path}:{self.tag}" if self.tag else path

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The name with every default filled in, for comparing names."""
        return (
            self.host or _DEFAULT_HOST,
            self.namespace or _DEFAULT_NAMESPACE,
            self.model,
            self.tag or _DEFAULT_TAG,
        )


def _invalid(name: str, why: str, hint: str) -> RequestRejected:
    return RequestRejected(f"The model name {name!r} {why}.", hint)


def _split_source(name: str) -> tuple[str, str]:
    """Strip a `:cloud` / `:local` suffix; return the rest and the source."""
    for source in (_CLOUD, _LOCAL):
        suffix = f":{source}"
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            if rest.endswith(f":{_CLOUD}") or rest.endswith(f":{_LOCAL}"):
                raise _invalid(name, "has both :local and :cloud", "Use either, not both.")
            return rest, source
    return name, ""


def parse_model_name(name: str) -> ModelName:
    """Parse `[host/][namespace/]model[:tag]` with an optional source suffix.

    Raises:
        RequestRejected: the name is empty, or has both :local and :cloud.
    """
    text = name.strip()
    rest, source = _split_source(text)
    path, tag = rest, ""
    head, sep, tail = rest.rpartition(":")
    # A colon before the last slash is a registry port ("host:5000/ns/m"), not a tag.
    if sep and "/" not in tail:
        path, tag = head, tail
    if tag.endswith(_CLOUD_SUFFIX):
        if source == _LOCAL:
            raise _invalid(name, "has both :local and a -cloud tag", "Use either, not both.")
        source = _CLOUD
        tag = tag[: -len(_CLOUD_SUFFIX)]
    parts = path.split("/")
    model = parts[-1]
    if not model:
        raise _invalid(name, "names no model", "Choose a model, for example llama3.2.")
    namespace = parts[-2] if len(parts) >= 2 else ""
    host = "/".join(parts[:-2])
    return ModelName(host=host, namespace=namespace, model=model, tag=tag, source=source)


def is_cloud_name(name: str) -> bool:
    """True when a local server would send this name to the cloud (`glm-4.7:cloud`,
    `gpt-oss:120b-cloud`); `glm-4.7-cloud` without a colon is an ordinary local name, and
    an empty name is no cloud name.

    Raises:
        RequestRejected: the name is invalid (see parse_model_name).
    """
    return bool(name.strip()) and parse_model_name(name).source == _CLOUD


def direct_cloud_name(name: str) -> str:
    """The catalogue name to use on ollama.com ("gpt-oss:120b-cloud" -> "gpt-oss:120b",
    "glm-4.7:cloud" -> "glm-4.7"); names without a source suffix are returned unchanged."""
    return parse_model_name(name).base


def local_route_name(name: str) -> str:
    """The name that sends a cloud model through a signed-in local server
    ("gpt-oss:120b" -> "gpt-oss:120b-cloud", "glm-5.2" -> "glm-5.2:cloud"); names that
    already carry a cloud suffix are returned unchanged."""
    parsed = parse_model_name(name)
    if parsed.source == _CLOUD:
        return name.strip()
    if parsed.tag:
        return f"{parsed.base}{_CLOUD_SUFFIX}"
    return f"{parsed.base}:{_CLOUD}"


def same_model(a: str, b: str) -> bool:
    """True when two names denote the same model ("llama3.2" and "llama3.2:latest", or
    "registry.ollama.ai/library/llama3.2:latest"), source suffixes aside."""
    return parse_model_name(a).key == parse_model_name(b).key
