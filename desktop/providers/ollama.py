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
import time
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from contextlib import aclosing, asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx

from desktop.core.errors import (
    AppError,
    AuthenticationFailed,
    ProviderError,
    ProviderFailure,
    RequestRejected,
    StreamInterrupted,
)
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
from desktop.providers.errors import (
    NO_KEY,
    status_error,
    stream_error,
    subject,
    timeout_error,
    transport_error,
)
from desktop.providers.names import is_cloud_name, same_model
from desktop.providers.retry import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)

_NS = 1e-9
# Weight of the newest sample in the smoothed download speed.
_SPEED_SMOOTHING = 0.3
# Shortest interval over which a download speed sample is taken.
_SPEED_WINDOW = 0.2
_HttpxError = (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError)


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


def _interrupted(exc: ProviderError, received: int) -> StreamInterrupted:
    """The error a chat stream ends with once it failed: how much text had arrived."""
    arrived = (
        f"{received} characters of the reply had arrived" if received else "no text had arrived"
    )
    hint = f"{exc.hint} The partial answer was kept." if received else exc.hint
    return StreamInterrupted(
        f"{exc.message.rstrip('.')} ({arrived}).", hint.strip(), provider=exc.provider
    )


class _PullMeter:
    """Download speed (smoothed) and time left of a pull."""

    def __init__(self) -> None:
        self._since = time.monotonic()
        self._done = 0

    def update(self, progress: PullProgress) -> None:
        now = time.monotonic()
        done = progress.completed
        if now - self._since >= _SPEED_WINDOW:
            speed = max(0.0, (done - self._done) / (now - self._since))
            previous = progress.bytes_per_second
            progress.bytes_per_second = (
                _SPEED_SMOOTHING * speed + (1 - _SPEED_SMOOTHING) * previous if previous else speed
            )
            self._since, self._done = now, done
        remaining = progress.total - done
        progress.seconds_left = (
            remaining / progress.bytes_per_second if progress.bytes_per_second > 0 else None
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
        backoff_base: ceiling of the first retry wait in seconds; doubled each time,
            with full jitter.
        embed_batch: texts per `/api/embed` request.
        transport: an httpx transport (tests may pass one; normally None).

    Raises:
        RequestRejected: the base URL is not a valid http(s) URL.
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
        # A 401 names where the key came from; without a key it says that none is set.
        self._key_source = (key_source or "Hearth's settings") if api_key else NO_KEY
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._first_token_timeout = first_token_timeout
        self._policy = RetryPolicy(retries=max(0, retries), backoff_base=backoff_base)
        self._embed_batch = max(1, embed_batch)
        headers = {"User-Agent": "Hearth"}
        if kind is ProviderKind.CLOUD and api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._headers = headers
        self._transport_override = transport
        self._http = self._open()
        # Requests under way; a retired client closes when the last one ends.
        self._users = 0
        self._retired = False

    def _open(self) -> httpx.AsyncClient:
        try:
            return httpx.AsyncClient(
                base_url=self._base_url,
                headers=self._headers,
                timeout=httpx.Timeout(self._read_timeout, connect=self._connect_timeout),
                transport=self._transport_override,
                # A proxy from the environment must not capture the local server's
                # loopback traffic; the cloud honours it.
                trust_env=not _is_loopback(self._base_url),
            )
        except _HttpxError as exc:
            raise transport_error(exc, kind=self._kind, base_url=self._base_url) from None

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

    async def retire(self) -> None:
        """Close once the requests under way have ended (an answer being streamed, an
        embedding batch): settings replaced this client, but those who started with it
        finish with it. A retired client used again opens its connections anew and closes
        them again when idle."""
        self._retired = True
        if not self._users:
            await self._http.aclose()

    @asynccontextmanager
    async def _using(self) -> AsyncIterator[None]:
        if self._retired and self._http.is_closed:
            self._http = self._open()
        self._users += 1
        try:
            yield
        finally:
            self._users -= 1
            if self._retired and not self._users:
                await self._http.aclose()

    # ---- plumbing -----------------------------------------------------------------------

    def _error(self, response: httpx.Response, body: bytes, model: str) -> AppError:
        status = response.status_code
        return status_error(
            status,
            body,
            kind=self._kind,
            base_url=self._base_url,
            model=model,
            key_source=self._key_source,
            retry_after=(
                parse_retry_after(response.headers.get("retry-after")) if status == 429 else None
            ),
        )

    def _transport(
        self, exc: httpx.HTTPError | httpx.InvalidURL | httpx.StreamError, waited: float
    ) -> ProviderError:
        return transport_error(exc, kind=self._kind, base_url=self._base_url, waited=waited)

    async def _request(
        self, method: str, path: str, body: Mapping[str, Any] | None, model: str, wait: float
    ) -> Any:
        log.debug("%s %s", method, path)
        try:
            response = await self._http.request(
                method, path, json=body, timeout=httpx.Timeout(wait, connect=self._connect_timeout)
            )
        except _HttpxError as exc:
            raise self._transport(exc, wait) from None
        if response.status_code >= 400:
            raise self._error(response, response.content, model)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise ProviderFailure(
                f"{subject(self._kind, self._base_url)} sent a reply that is not JSON.",
                "Check that the URL points at an Ollama server.",
                provider=self._kind.value,
            ) from None

    async def _json(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        model: str = "",
        retry: bool = True,
        wait: float | None = None,
    ) -> Any:
        """One JSON request; idempotent ones (retry=True) are retried on transient errors."""
        seconds = self._read_timeout if wait is None else wait
        async with self._using():
            if not retry:
                return await self._request(method, path, body, model, seconds)
            return await self._policy.run(lambda: self._request(method, path, body, model, seconds))

    async def _lines(
        self, path: str, body: Mapping[str, Any], *, model: str, first_timeout: float
    ) -> AsyncGenerator[dict[str, Any], None]:
        """Stream NDJSON objects. Closing this generator, or cancelling the task that
        iterates it, closes the HTTP response at once."""
        async with self._using():
            request = self._http.build_request(
                "POST",
                path,
                json=body,
                # Reads are bounded per line below; httpx bounds only connecting and sending.
                timeout=httpx.Timeout(
                    None, connect=self._connect_timeout, write=self._read_timeout, pool=None
                ),
            )
            log.debug("POST %s (stream)", path)
            # One deadline for the headers and the first line together.
            first_deadline = asyncio.get_running_loop().time() + first_timeout
            try:
                async with asyncio.timeout_at(first_deadline):
                    response = await self._http.send(request, stream=True)
            except TimeoutError:
                raise timeout_error(
                    self._kind, self._base_url, seconds=first_timeout, phase="first"
                ) from None
            except _HttpxError as exc:
                raise self._transport(exc, first_timeout) from None
            try:
                if response.status_code >= 400:
                    raise self._error(response, await response.aread(), model)
                async with aclosing(
                    self._read_lines(response, first_deadline, first_timeout)
                ) as lines:
                    async for line in lines:
                        yield self._decode(line, model)
            except _HttpxError as exc:
                raise self._transport(exc, self._read_timeout) from None
            finally:
                await response.aclose()

    async def _read_lines(
        self, response: httpx.Response, first_deadline: float, first_timeout: float
    ) -> AsyncGenerator[str, None]:
        lines = response.aiter_lines()
        loop = asyncio.get_running_loop()
        deadline, wait, phase = first_deadline, first_timeout, "first"
        while True:
            if phase == "between":
                # Counted from when the consumer asks for the next line, not from the last.
                deadline = loop.time() + wait
            try:
                # asyncio.timeout_at, not wait_for: on 3.11 wait_for can swallow a
                # cancellation that races with a line arriving.
                async with asyncio.timeout_at(deadline):
                    line = await anext(lines)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise timeout_error(self._kind, self._base_url, seconds=wait, phase=phase) from None
            wait, phase = self._read_timeout, "between"
            if line.strip():
                yield line

    def _decode(self, line: str, model: str) -> dict[str, Any]:
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            raise StreamInterrupted(
                f"{subject(self._kind, self._base_url)} sent a malformed line in the middle "
                "of a reply.",
                "Try again.",
                provider=self._kind.value,
            )
        if "error" in obj:
            raise stream_error(
                str(obj["error"]), kind=self._kind, base_url=self._base_url, model=model
            )
        return obj

    # ---- operations ---------------------------------------------------------------------

    async def status(self) -> ServerStatus:
        """Probe the server: version, latency and model count.

        A server that cannot be reached, times out or fails gives reachable=False; a
        server that answers but refuses the key raises AuthenticationFailed, so the person
        learns why.
        """
        started = time.perf_counter()
        try:
            try:
                version = await self._json("GET", "/api/version", retry=False)
            except RequestRejected:
                # Not every server (ollama.com among them) offers /api/version.
                version = {}
            models = await self.list_models()
        except ProviderError as exc:
            if isinstance(exc, AuthenticationFailed):
                raise
            log.info("status of %s: %s", self._base_url, exc.kind)
            return ServerStatus(reachable=False)
        return ServerStatus(
            reachable=True,
            version=str(version.get("version") or ""),
            latency_ms=(time.perf_counter() - started) * 1000,
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

    async def load(self, model: str) -> int:
        """Load `model` with the server's own options (as a request without options, such
        as one through the Anthropic-compatible API, would) and return the context it runs
        with, as `/api/ps` reports it (0 if the server does not say)."""
        await self._json(
            "POST", "/api/generate", {"model": model, "stream": False}, model=model, wait=600
        )
        for running in await self.running():
            if same_model(running.name, model):
                return running.context_length
        return 0

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
    ) -> AsyncGenerator[ChatDelta, None]:
        """Stream a reply: content and thinking deltas, then one delta with the stats.

        A transient failure before any text arrived is retried; once text has streamed, a
        failure raises StreamInterrupted (saying how much had arrived) and the request is
        never replayed.
        """
        body = self._chat_body(model, messages, options, think, keep_alive, stream=True)
        async with self._using():
            attempt = 0
            while True:
                received = 0
                try:
                    async with aclosing(
                        self._lines(
                            "/api/chat", body, model=model, first_timeout=self._first_token_timeout
                        )
                    ) as chunks:
                        async for chunk in chunks:
                            message = chunk.get("message") or {}
                            delta = ChatDelta(
                                content=str(message.get("content") or ""),
                                thinking=str(message.get("thinking") or ""),
                            )
                            if delta.content or delta.thinking:
                                received += len(delta.content) + len(delta.thinking)
                                yield delta
                            if chunk.get("done"):
                                yield ChatDelta(stats=_stats(chunk))
                                return
                    raise StreamInterrupted(
                        f"{subject(self._kind, self._base_url)} ended the reply before it was "
                        "complete.",
                        "Try again.",
                        provider=self._kind.value,
                    )
                except ProviderError as exc:
                    attempt += 1
                    if received or not self._policy.should_retry(attempt, exc):
                        if received or isinstance(exc, StreamInterrupted):
                            raise _interrupted(exc, received) from exc
                        raise
                    await self._policy.pause(attempt, exc)

    async def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        think: bool | str | None = None,
    ) -> ChatReply:
        """A whole reply in one piece; retried on transient errors (nothing was shown)."""
        body = self._chat_body(model, messages, options, think, None, stream=False)
        data = await self._json(
            "POST", "/api/chat", body, model=model, wait=self._first_token_timeout
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
        """Embed texts in batches (embed_batch per request), keeping their order."""
        vectors: list[list[float]] = []
        async with self._using():
            for start in range(0, len(texts), self._embed_batch):
                batch = list(texts[start : start + self._embed_batch])
                data = await self._json(
                    "POST",
                    "/api/embed",
                    {"model": model, "input": batch},
                    model=model,
                    wait=self._first_token_timeout,
                )
                got = data.get("embeddings") or []
                if len(got) != len(batch):
                    raise ProviderFailure(
                        f"{subject(self._kind, self._base_url)} returned {len(got)} embeddings for "
                        f"{len(batch)} texts.",
                        "Try again, or choose another embedding model.",
                        provider=self._kind.value,
                    )
                vectors.extend([float(x) for x in vec] for vec in got)
            return vectors

    async def pull(self, model: str) -> AsyncGenerator[PullProgress, None]:
        """Download a model, yielding progress per layer and overall, with a smoothed speed
        and the time left (one PullProgress, updated in place). Closing the iterator (or
        cancelling) stops the download."""
        progress = PullProgress(status="starting")
        meter = _PullMeter()
        async with aclosing(
            self._lines(
                "/api/pull",
                {"model": model, "stream": True},
                model=model,
                first_timeout=self._read_timeout,
            )
        ) as chunks:
            async for chunk in chunks:
                progress.status = str(chunk.get("status") or progress.status)
                digest = chunk.get("digest")
                if digest:
                    layer = progress.layers.setdefault(str(digest), LayerProgress(str(digest)))
                    layer.total = int(chunk.get("total") or layer.total)
                    layer.completed = int(chunk.get("completed") or layer.completed)
                meter.update(progress)
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
