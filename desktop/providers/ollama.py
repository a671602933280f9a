"""One client for an Ollama server: the local one or Ollama Cloud.

Built on httpx directly rather than on the official `ollama` client, for control the
product needs: explicit timeouts (a short connect, a generous wait for the first token of
a cloud cold start, a shorter one between later lines), cancellation that closes the HTTP
response at once, every transport and HTTP failure mapped to Hearth's error types, and no
fields dropped from replies. The official client is used in the tests to prove the fake
server speaks the same protocol.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from desktop.core.errors import ProviderError, ProviderFailure, StreamInterrupted
from desktop.core.models import (
    ChatDelta,
    ChatMessage,
    ChatReply,
    ChatStats,
    LayerProgress,
    ModelDetails,
    ModelInfo,
    ProviderKind,
    PullProgress,
    RunningModel,
    ServerStatus,
)
from desktop.providers.errors import status_error, stream_error, transport_error
from desktop.providers.names import is_cloud_name

log = logging.getLogger(__name__)

T = TypeVar("T")
_NS = 1e-9
_SPEED_SMOOTHING = 0.3


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _stats(chunk: Mapping[str, Any]) -> ChatStats:
    return ChatStats(
        done_reason=str(chunk.get("done_reason") or ""),
        prompt_tokens=int(chunk.get("prompt_eval_count") or 0),
        output_tokens=int(chunk.get("eval_count") or 0),
        total_seconds=int(chunk.get("total_duration") or 0) * _NS,
        load_seconds=int(chunk.get("load_duration") or 0) * _NS,
        prompt_seconds=int(chunk.get("prompt_eval_duration") or 0) * _NS,
        eval_seconds=int(chunk.get("eval_duration") or 0) * _NS,
    )


def _model_info(item: Mapping[str, Any], kind: ProviderKind) -> ModelInfo:
    details = item.get("details") or {}
    name = str(item.get("model") or item.get("name") or "")
    return ModelInfo(
        name=name,
        size=int(item.get("size") or 0),
        family=str(details.get("family") or ""),
        parameter_size=str(details.get("parameter_size") or ""),
        quantization=str(details.get("quantization_level") or ""),
        modified_at=str(item.get("modified_at") or ""),
        digest=str(item.get("digest") or ""),
        context_length=int(details.get("context_length") or 0),
        capabilities=tuple(item.get("capabilities") or ()),
        remote=kind is ProviderKind.CLOUD or bool(item.get("remote_host")) or is_cloud_name(name),
    )


class OllamaClient:
    """Implements `desktop.core.ports.ModelClient` for one server.

    Args:
        base_url: the server's base URL (no `/api`).
        kind: LOCAL or CLOUD. Only a CLOUD client sends the API key.
        api_key: the cloud API key (never logged, never shown in repr or errors).
        key_source: where the key came from, named in authentication errors.
        connect_timeout: seconds to open a connection.
        read_timeout: seconds between lines of a stream, and for ordinary replies.
        first_token_timeout: seconds to wait for the first line of a chat stream.
        retries: retries of idempotent calls, and of a chat that produced nothing yet.
        backoff_base: first retry delay in seconds; doubled each time, with jitter.
        embed_batch: texts per `/api/embed` request.
        transport: an httpx transport (tests may pass one; normally None).
    """

    def __init__(
        self,
        base_url: str,
        *,
        kind: ProviderKind,
        api_key: str | None = None,
        key_source: str = "",
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        first_token_timeout: float = 180.0,
        retries: int = 3,
        backoff_base: float = 0.5,
        embed_batch: int = 64,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._kind = kind
        self._key_source = key_source if kind is ProviderKind.CLOUD else ""
        self._read_timeout = read_timeout
        self._first_token_timeout = first_token_timeout
        self._retries = max(0, retries)
        self._backoff_base = backoff_base
        self._embed_batch = max(1, embed_batch)
        headers = {"User-Agent": "Hearth"}
        if kind is ProviderKind.CLOUD and api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            headers=headers,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
            # A proxy from the environment must not capture the local server's loopback
            # traffic; the cloud honours it.
            trust_env=not _is_loopback(self._base_url),
        )

    def __repr__(self) -> str:
        return f"OllamaClient({self._base_url!r}, kind={self._kind.value})"

    @property
    def kind(self) -> ProviderKind:
        return self._kind

    @property
    def base_url(self) -> str:
        return self._base_url

    async def __aenter__(self) -> OllamaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ---- plumbing -----------------------------------------------------------------------

    def _error(self, status: int, body: bytes, model: str = "") -> ProviderError:
        return status_error(
            status,
            body,
            kind=self._kind,
            base_url=self._base_url,
            model=model,
            key_source=self._key_source,
        )

    async def _backoff(self, attempt: int, exc: ProviderError) -> None:
        delay = self._backoff_base * (2 ** (attempt - 1)) * (0.5 + random.random())  # noqa: S311
        log.info("retry %d after %s (%.2fs)", attempt, exc.kind, delay)
        await asyncio.sleep(delay)

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await call()
            except ProviderError as exc:
                if not exc.retryable or attempt >= self._retries:
                    raise
                attempt += 1
                await self._backoff(attempt, exc)

    async def _json(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        model: str = "",
        retry: bool = True,
        read_wait: float | None = None,
    ) -> Any:
        async def once() -> Any:
            log.debug("%s %s", method, path)
            try:
                response = await self._http.request(
                    method,
                    path,
                    json=body,
                    timeout=httpx.USE_CLIENT_DEFAULT if read_wait is None else read_wait,
                )
            except httpx.TransportError as exc:
                raise transport_error(exc, kind=self._kind, base_url=self._base_url) from None
            if response.status_code >= 400:
                raise self._error(response.status_code, response.content, model)
            if not response.content:
                return {}
            try:
                return response.json()
            except ValueError:
                raise ProviderFailure(
                    f"{self._base_url} sent a reply that is not JSON.",
                    "Check that the URL points at an Ollama server.",
                    provider=self._kind.value,
                ) from None

        return await (self._retrying(once) if retry else once())

    async def _lines(
        self, path: str, body: Mapping[str, Any], *, model: str, first_timeout: float
    ) -> AsyncIterator[dict[str, Any]]:
        """Stream NDJSON objects; closing this generator closes the HTTP response."""
        try:
            async with self._http.stream(
                "POST", path, json=body, timeout=httpx.Timeout(first_timeout, connect=None)
            ) as response:
                if response.status_code >= 400:
                    raise self._error(response.status_code, await response.aread(), model)
                lines = response.aiter_lines()
                wait = first_timeout
                while True:
                    try:
                        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a
                        # cancellation that races with a line arriving.
                        async with asyncio.timeout(wait):
                            line = await anext(lines)
                    except StopAsyncIteration:
                        return
                    except TimeoutError:
                        raise transport_error(
                            httpx.ReadTimeout("no data"), kind=self._kind, base_url=self._base_url
                        ) from None
                    wait = self._read_timeout
                    if not line.strip():
                        continue
                    yield self._decode(line, model)
        except httpx.TransportError as exc:
            raise transport_error(exc, kind=self._kind, base_url=self._base_url) from None

    def _decode(self, line: str, model: str) -> dict[str, Any]:
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            raise StreamInterrupted(
                f"{self._base_url} sent a malformed line in the middle of a reply.",
                "Try again; the partial answer was kept.",
                provider=self._kind.value,
            )
        if "error" in obj:
            raise stream_error(
                str(obj["error"]), kind=self._kind, base_url=self._base_url, model=model
            )
        return obj

    # ---- operations ---------------------------------------------------------------------

    async def status(self) -> ServerStatus:
        """Probe the server; an unreachable or failing server gives reachable=False."""
        started = time.perf_counter()
        try:
            version = await self._json("GET", "/api/version", retry=False)
            latency = (time.perf_counter() - started) * 1000
            models = await self.list_models()
        except ProviderError as exc:
            log.info("status of %s: %s", self._base_url, exc.kind)
            return ServerStatus(reachable=False)
        return ServerStatus(
            reachable=True,
            version=str(version.get("version") or ""),
            latency_ms=latency,
            model_count=len(models),
        )

    async def list_models(self) -> list[ModelInfo]:
        data = await self._json("GET", "/api/tags")
        return [_model_info(item, self._kind) for item in data.get("models") or []]

    async def show(self, model: str) -> ModelDetails:
        data = await self._json("POST", "/api/show", {"model": model}, model=model)
        info = data.get("model_info") or {}
        arch = str(info.get("general.architecture") or "")
        details = data.get("details") or {}
        return ModelDetails(
            name=model,
            context_length=int(info.get(f"{arch}.context_length") or 0),
            capabilities=tuple(data.get("capabilities") or ()),
            family=str(details.get("family") or arch),
            parameter_size=str(details.get("parameter_size") or ""),
            quantization=str(details.get("quantization_level") or ""),
            embedding_length=int(info.get(f"{arch}.embedding_length") or 0),
        )

    async def running(self) -> list[RunningModel]:
        data = await self._json("GET", "/api/ps")
        return [
            RunningModel(
                name=str(item.get("model") or item.get("name") or ""),
                size=int(item.get("size") or 0),
                size_vram=int(item.get("size_vram") or 0),
                expires_at=str(item.get("expires_at") or ""),
                context_length=int(item.get("context_length") or 0),
            )
            for item in data.get("models") or []
        ]

    @staticmethod
    def _chat_body(
        model: str,
        messages: Sequence[ChatMessage],
        options: Mapping[str, Any] | None,
        think: bool | str | None,
        keep_alive: str | None,
        *,
        stream: bool,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "stream": stream,
        }
        if options:
            body["options"] = dict(options)
        if think is not None:
            body["think"] = think
        if keep_alive is not None:
            body["keep_alive"] = keep_alive
        return body

    async def chat_stream(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        think: bool | str | None = None,
        keep_alive: str | None = None,
    ) -> AsyncIterator[ChatDelta]:
        """Stream a reply: content and thinking deltas, then one delta with the stats.

        A failure before any text arrived is retried; once text has streamed, a failure is
        raised (StreamInterrupted and friends) and never silently replayed.
        """
        body = self._chat_body(model, messages, options, think, keep_alive, stream=True)
        attempt = 0
        while True:
            produced = False
            try:
                async for chunk in self._lines(
                    "/api/chat", body, model=model, first_timeout=self._first_token_timeout
                ):
                    message = chunk.get("message") or {}
                    content = str(message.get("content") or "")
                    thinking = str(message.get("thinking") or "")
                    if content or thinking:
                        produced = True
                        yield ChatDelta(content=content, thinking=thinking)
                    if chunk.get("done"):
                        yield ChatDelta(stats=_stats(chunk))
                        return
                raise StreamInterrupted(
                    f"{self._base_url} ended the reply before it was complete.",
                    "Try again; the partial answer was kept.",
                    provider=self._kind.value,
                )
            except ProviderError as exc:
                if produced or not exc.retryable or attempt >= self._retries:
                    raise
                attempt += 1
                await self._backoff(attempt, exc)

    async def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        think: bool | str | None = None,
    ) -> ChatReply:
        body = self._chat_body(model, messages, options, think, None, stream=False)
        data = await self._json(
            "POST", "/api/chat", body, model=model, read_wait=self._first_token_timeout
        )
        message = data.get("message") or {}
        return ChatReply(
            content=str(message.get("content") or ""),
            thinking=str(message.get("thinking") or ""),
            stats=_stats(data),
            model=str(data.get("model") or model),
            provider=self._kind,
        )

    async def embed(self, model: str, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts in batches, keeping their order."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._embed_batch):
            batch = list(texts[start : start + self._embed_batch])
            data = await self._json(
                "POST",
                "/api/embed",
                {"model": model, "input": batch},
                model=model,
                read_wait=self._first_token_timeout,
            )
            got = data.get("embeddings") or []
            if len(got) != len(batch):
                raise ProviderFailure(
                    f"{self._base_url} returned {len(got)} embeddings for {len(batch)} texts.",
                    "Try again, or choose another embedding model.",
                    provider=self._kind.value,
                )
            vectors.extend([float(x) for x in vec] for vec in got)
        return vectors

    async def pull(self, model: str) -> AsyncIterator[PullProgress]:
        """Download a model, yielding progress per layer and overall. Closing the iterator
        cancels the download."""
        progress = PullProgress(status="starting")
        last_time = time.monotonic()
        last_done = 0
        async for chunk in self._lines(
            "/api/pull",
            {"model": model, "stream": True},
            model=model,
            first_timeout=self._read_timeout,
        ):
            progress.status = str(chunk.get("status") or progress.status)
            digest = chunk.get("digest")
            if digest:
                layer = progress.layers.setdefault(str(digest), LayerProgress(str(digest)))
                layer.total = int(chunk.get("total") or layer.total)
                layer.completed = int(chunk.get("completed") or layer.completed)
            now = time.monotonic()
            done = progress.completed
            if now - last_time >= 0.2:
                speed = (done - last_done) / (now - last_time)
                progress.bytes_per_second = (
                    speed
                    if not progress.bytes_per_second
                    else _SPEED_SMOOTHING * speed
                    + (1 - _SPEED_SMOOTHING) * progress.bytes_per_second
                )
                last_time, last_done = now, done
            remaining = progress.total - done
            progress.seconds_left = (
                remaining / progress.bytes_per_second if progress.bytes_per_second > 0 else None
            )
            yield progress
            if progress.done:
                return
        raise StreamInterrupted(
            f"The download of {model} stopped before it finished.",
            "Try the pull again; finished layers are kept.",
            provider=self._kind.value,
        )

    async def delete(self, model: str) -> None:
        await self._json("DELETE", "/api/delete", {"model": model}, model=model, retry=False)
