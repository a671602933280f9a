"""Cloud model names on the two routes into Ollama Cloud.

Straight to ollama.com a model has its catalogue name (`gpt-oss:120b`, `glm-5.2`).
Through a signed-in local server the same model carries a source suffix: a `:cloud` tag
(`glm-4.7:cloud`), a tag ending in `-cloud` (`gpt-oss:120b-cloud`) or `:cloud` after a
tag (`gpt-oss:120b:cloud`). `:local` forces the local copy.
"""

from __future__ import annotations

_CLOUD_TAG = ":cloud"
_LOCAL_TAG = ":local"
_CLOUD_SUFFIX = "-cloud"


def is_cloud_name(name: str) -> bool:
    """True when a local server would proxy this name to the cloud."""
    name = name.strip()
    if name.endswith(_CLOUD_TAG):
        return True
    _, sep, tag = name.rpartition(":")
    return bool(sep) and "/" not in tag and tag.endswith(_CLOUD_SUFFIX)


def direct_cloud_name(name: str) -> str:
    """The catalogue name to use on ollama.com ("gpt-oss:120b-cloud" -> "gpt-oss:120b",
    "glm-4.7:cloud" -> "glm-4.7"); other names are returned unchanged."""
    name = name.strip()
    if name.endswith(_CLOUD_TAG):
        return name[: -len(_CLOUD_TAG)]
    if name.endswith(_LOCAL_TAG):
        return name[: -len(_LOCAL_TAG)]
    base, sep, tag = name.rpartition(":")
    if sep and "/" not in tag and tag.endswith(_CLOUD_SUFFIX):
        tag = tag[: -len(_CLOUD_SUFFIX)]
        return f"{base}:{tag}" if tag else base
    return name


def local_route_name(name: str) -> str:
    """The name that sends a cloud model through a signed-in local server
    ("gpt-oss:120b" -> "gpt-oss:120b-cloud", "glm-5.2" -> "glm-5.2:cloud")."""
    name = name.strip()
    if is_cloud_name(name):
        return name
    base, sep, tag = name.rpartition(":")
    if sep and "/" not in tag:
        return f"{base}:{tag}{_CLOUD_SUFFIX}"
    return f"{name}{_CLOUD_TAG}"


def same_model(a: str, b: str) -> bool:
    """True when two names denote the same model ("llama3.2" and "llama3.2:latest")."""

    def norm(n: str) -> str:
        n = n.strip()
        tail = n.rsplit("/", 1)[-1]
        return n if ":" in tail else f"{n}:latest"

    return norm(a) == norm(b)
