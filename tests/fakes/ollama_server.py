"""A fake Ollama server: a real HTTP server on 127.0.0.1 that speaks Ollama's wire protocol.

It follows the protocol reference closely: NDJSON streams (one compact JSON object per line,
no blank lines, `application/x-ndjson`), `stream` defaulting to true, the exact error bodies
and statuses, errors in the middle of a stream (HTTP 200 then an `{"error": ...}` line and
no `done` chunk), pull progress, `/api/delete` answering 200 with an empty body, gin's
text/plain 404/405, the Anthropic-compatible `/v1/messages` (JSON and SSE), and a cloud mode
that demands `Authorization: Bearer <key>` and has no embeddings and no pull/delete.

Deterministic replies, so tests can assert on content:
- `set_reply(text)` fixes the next replies' text.
- Otherwise, when the request's messages mention numbered sources (`[1]`, `[2]`, ...), the
  reply is "Based on the sources, the answer is in the documents [1][2]." (every number found,
  in order, at most three); else it is "You asked: <last user message>".
- Thinking models stream "Let me think about this." as thinking first (unless think=false).
- Replies are streamed word by word; `options.num_predict` cuts them (done_reason "length").
- `set_reply_delay(seconds)` makes a reply that is not streamed take that long (the whole
  reply arrives at once, when it is written); `wait_for_requests(path, n)` blocks until
  n requests to `path` have arrived.

The Anthropic route converts as Ollama's middleware does: `thinking` enabled/disabled, else
`output_config.effort`, becomes `think`; a model that cannot think answers without thinking
(counted in `relaxed_thinking`) rather than refusing. `queue_tool_use(name, arguments)`
scripts the model's next call of an offered tool (a `tool_use` block, stop reason
`tool_use`); tool results count as message text.

A loaded model (see `/api/ps`) runs with `options.num_ctx`, else its Modelfile's `num_ctx`,
else the server's `default_num_ctx`, capped at the context it was trained on.

Cloud-named models on the local server (`x:cloud`, `x:tag-cloud`) are served when their base
name is one of `cloud_models`; otherwise the fake answers like a signed-out server (401 with
a `signin_url`). In cloud mode `/api/embed`, `/api/embeddings`, `/api/pull` and
`/api/delete` are unknown routes (text/plain 404), as on ollama.com.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_KNOWN_ROUTES: dict[str, set[str]] = {
    "/": {"GET", "HEAD"},
    "/api/version": {"GET", "HEAD"},
    "/api/tags": {"GET", "HEAD"},
    "/api/ps": {"GET"},
    "/api/show": {"POST"},
    "/api/chat": {"POST"},
    "/api/generate": {"POST"},
    "/api/embed": {"POST"},
    "/api/embeddings": {"POST"},
    "/api/pull": {"POST"},
    "/api/delete": {"DELETE"},
    "/api/copy": {"POST"},
    "/v1/messages": {"POST"},
}
_CLOUD_MISSING = {"/api/embed", "/api/embeddings", "/api/pull", "/api/delete", "/api/copy"}
_THINK_LEVELS = {"low", "medium", "high", "max"}
_THINKING_TEXT = "Let me think about this."


@dataclass
class FakeModel:
    """One model the fake server knows."""

    name: str
    context_length: int = 8192
    capabilities: tuple[str, ...] = ("completion",)
    family: str = "llama"
    parameter_size: str = "3.2B"
    quantization: str = "Q4_K_M"
    size: int = 2_019_393_189
    embedding_length: int = 0
    # A `PARAMETER num_ctx` in the model's Modelfile (None: not set).
    num_ctx: int | None = None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.name.encode()).hexdigest()


@dataclass
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _Fault:
    path: str
    kind: str  # "status", "mid_error", "drop", "malformed"
    times: int
    status: int = 0
    error: str | None = None
    body: str | None = None
    content_type: str | None = None
    after_chunks: int = 0


@dataclass
class _Pullable:
    layer_sizes: tuple[int, ...]
    chunk: int


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    faults: list[_Fault] = field(default_factory=list)
    reply: str | None = None
    reply_thinking: str | None = None
    first_token_delay: float = 0.0
    token_delay: float = 0.0
    reply_delay: float = 0.0
    # Loaded model -> (expiry time, the context it runs with).
    loaded: dict[str, tuple[float, int]] = field(default_factory=dict)
    tool_uses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _full_name(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return name if ":" in base else f"{name}:latest"


def _split_source(name: str) -> tuple[str, str]:
    """Return (base name, source) where source is "cloud", "local" or ""."""
    if ":" not in name:
        return name, ""
    base, tag = name.rsplit(":", 1)
    if tag == "cloud":
        return base, "cloud"
    if tag == "local":
        return base, "local"
    if tag.endswith("-cloud"):
        return f"{base}:{tag[: -len('-cloud')]}", "cloud"
    return name, ""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _local_time() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def _fake_vector(text: str, dim: int) -> list[float]:
    values: list[float] = []
    counter = 0
    while len(values) < dim:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend((b - 127.5) / 127.5 for b in digest)
        counter += 1
    return _normalise(values[:dim])


def _normalise(values: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def _words(text: str) -> list[str]:
    parts = re.findall(r"\S+\s*", text)
    return parts or [text]


def _token_count(text: str) -> int:
    return max(1, len(text.split())) if text else 0


class _StoppingError(Exception):
    """The server is stopping while a response is being written."""


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up on an idle keep-alive connection is normal, not an error."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeOllama:
    """A real loopback HTTP server that behaves like Ollama (see the module docstring)."""

    def __init__(
        self,
        *,
        cloud: bool = False,
        api_key: str | None = None,
        models: Iterable[FakeModel] | None = None,
        version: str = "0.33.0",
        cloud_models: Iterable[FakeModel] = (),
        default_num_ctx: int = 4096,
    ) -> None:
        self.cloud = cloud
        # The context a model runs with when neither the request nor its Modelfile sets
        # num_ctx: OLLAMA_CONTEXT_LENGTH, else 4096/32768/262144 by total VRAM.
        self.default_num_ctx = default_num_ctx
        # /v1/messages requests whose thinking was dropped because the model cannot think
        # (Ollama logs "model does not support thinking, relaxing thinking to nil").
        self.relaxed_thinking = 0
        self.api_key = api_key
        self.version = version
        self.models: dict[str, FakeModel] = {}
        for model in models or ():
            self.add_model(model)
        self.cloud_models = {_full_name(m.name): m for m in cloud_models}
        self.requests: list[RecordedRequest] = []
        self._request_arrived = threading.Condition()
        self.pullable: dict[str, _Pullable] = {}
        # Streams the client closed before their end (the server's write failed); the event
        # is set at the first.
        self.aborted_streams = 0
        self.stream_aborted = threading.Event()
        self._state = _State()
        self._stopping = threading.Event()
        self._server: _QuietServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self) -> FakeOllama:
        handler = _make_handler(self)
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- configuration ------------------------------------------------------------------

    def add_model(self, model: FakeModel) -> None:
        self.models[_full_name(model.name)] = model

    def add_pullable(
        self, name: str, layer_sizes: Sequence[int] = (4_000_000, 12_000), *, chunk: int = 1_000_000
    ) -> None:
        self.pullable[_full_name(name)] = _Pullable(tuple(layer_sizes), chunk)

    def set_reply(self, text: str | None, *, thinking: str | None = None) -> None:
        with self._state.lock:
            self._state.reply = text
            self._state.reply_thinking = thinking

    def fail_next(
        self,
        path: str,
        status: int,
        error: str | None = None,
        *,
        body: str | None = None,
        content_type: str | None = None,
        times: int = 1,
    ) -> None:
        self._add_fault(
            _Fault(path, "status", times, status, error, body, content_type),
        )

    def queue_tool_use(self, name: str, arguments: dict[str, Any]) -> None:
        """Script the model: the next /v1/messages request that offers tool `name` is
        answered with a call to it (Ollama's tool_use block) instead of text."""
        with self._state.lock:
            self._state.tool_uses.append((name, arguments))

    def set_first_token_delay(self, seconds: float) -> None:
        self._state.first_token_delay = seconds

    def set_token_delay(self, seconds: float) -> None:
        self._state.token_delay = seconds

    def set_reply_delay(self, seconds: float) -> None:
        self._state.reply_delay = seconds

    def error_mid_stream(
        self,
        after_chunks: int,
        message: str = "an error was encountered while running the model",
        times: int = 1,
    ) -> None:
        self._add_fault(_Fault("*", "mid_error", times, error=message, after_chunks=after_chunks))

    def drop_connection_mid_stream(self, after_chunks: int, times: int = 1) -> None:
        self._add_fault(_Fault("*", "drop", times, after_chunks=after_chunks))

    def malformed_line_mid_stream(self, after_chunks: int, times: int = 1) -> None:
        self._add_fault(_Fault("*", "malformed", times, after_chunks=after_chunks))

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in list(self.requests) if r.path == path]

    def wait_for_requests(self, path: str, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until `count` requests to `path` have arrived (False after `timeout`)."""
        with self._request_arrived:
            return self._request_arrived.wait_for(
                lambda: len(self.requests_to(path)) >= count, timeout
            )

    # ---- internals used by the handler --------------------------------------------------

    def _add_fault(self, fault: _Fault) -> None:
        with self._state.lock:
            self._state.faults.append(fault)

    def _take_fault(self, path: str, kinds: set[str]) -> _Fault | None:
        with self._state.lock:
            for fault in self._state.faults:
                if fault.kind in kinds and fault.path in (path, "*"):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._state.faults.remove(fault)
                    return fault
        return None

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self._stopping.wait(seconds):
            raise _StoppingError

    def _lookup(self, name: str) -> FakeModel | None:
        base, source = _split_source(name)
        if source == "cloud" and not self.cloud:
            return self.cloud_models.get(_full_name(base))
        return self.models.get(_full_name(base))


class _ReplyError(Exception):
    """Raised inside a route to answer with a JSON error."""

    def __init__(self, status: int, payload: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload


def _error(status: int, message: str, **extra: Any) -> _ReplyError:
    return _ReplyError(status, {"error": message, **extra})


def _make_handler(fake: FakeOllama) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        server_fake = fake

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_fake: FakeOllama
    server_version = "FakeOllama"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # ---- plumbing -----------------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        fake = self.server_fake
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        with fake._request_arrived:
            fake.requests.append(RecordedRequest(method, path, headers, body))
            fake._request_arrived.notify_all()
        try:
            self._route(method, path, headers, body)
        except _ReplyError as reply:
            self._send_json(reply.status, reply.payload)
        except _StoppingError:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            with fake._state.lock:
                fake.aborted_streams += 1
            fake.stream_aborted.set()

    def _route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        fake = self.server_fake
        allowed = _KNOWN_ROUTES.get(path)
        if allowed is None or (fake.cloud and path in _CLOUD_MISSING):
            self._send_text(404, "404 page not found")
            return
        if method not in allowed:
            self._send_text(405, "405 method not allowed")
            return
        if fake.cloud and path != "/" and not self._authorised(headers):
            if path == "/v1/messages":
                raise _ReplyError(401, _anthropic_error(401, "unauthorized"))
            raise _error(401, "unauthorized")
        fault = fake._take_fault(path, {"status"})
        if fault is not None:
            self._send_fault(fault)
            return
        if path == "/":
            self._send_text(200, "Ollama is running", head=method == "HEAD")
            return
        if path in ("/api/version", "/api/tags", "/api/ps"):
            self._get_route(path, head=method == "HEAD")
            return
        request = self._parse_body(body, path)
        handler = {
            "/api/show": self._show,
            "/api/chat": self._chat,
            "/api/generate": self._generate,
            "/api/embed": self._embed,
            "/api/embeddings": self._embeddings,
            "/api/pull": self._pull,
            "/api/delete": self._delete,
            "/api/copy": self._copy,
            "/v1/messages": self._messages,
        }[path]
        handler(request)

    def _authorised(self, headers: dict[str, str]) -> bool:
        key = self.server_fake.api_key
        return bool(key) and headers.get("authorization") == f"Bearer {key}"

    def _parse_body(self, body: bytes, path: str) -> dict[str, Any]:
        if not body:
            if path == "/v1/messages":
                raise _ReplyError(400, _anthropic_error(400, "missing request body"))
            raise _error(400, "missing request body")
        try:
            request = json.loads(body)
        except json.JSONDecodeError as exc:
            raise _error(400, f"invalid character in JSON: {exc.msg}") from exc
        if not isinstance(request, dict):
            raise _error(400, "json: cannot unmarshal into Go value of type api.Request")
        return request

    def _send_fault(self, fault: _Fault) -> None:
        if fault.body is not None:
            self._send_raw(fault.status, fault.body.encode(), fault.content_type or "text/plain")
        else:
            self._send_json(fault.status, {"error": fault.error or "error"})

    def _send_raw(self, status: int, data: bytes, content_type: str, *, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _send_text(self, status: int, text: str, *, head: bool = False) -> None:
        self._send_raw(status, text.encode(), "text/plain; charset=utf-8", head=head)

    def _send_json(self, status: int, payload: Any, *, head: bool = False) -> None:
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        self._send_raw(status, data, "application/json; charset=utf-8", head=head)

    def _stream(self, lines: Iterator[dict[str, Any]], path: str, *, first_delay: float) -> None:
        """Write NDJSON lines with chunked encoding, applying any scripted mid-stream fault."""
        fake = self.server_fake
        fault = fake._take_fault(path, {"mid_error", "drop", "malformed"})
        fake._sleep(first_delay)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for sent, line in enumerate(lines):
            if fault is not None and sent == fault.after_chunks:
                self._apply_stream_fault(fault)
                return
            if sent:
                fake._sleep(fake._state.token_delay)
            self._write_chunk(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n")
        self._end_chunks()

    def _apply_stream_fault(self, fault: _Fault) -> None:
        if fault.kind == "mid_error":
            self._write_chunk(json.dumps({"error": fault.error}) + "\n")
            self._end_chunks()
        elif fault.kind == "malformed":
            self._write_chunk('{"model":"broken","message":{"role":"assist\n')
            self._end_chunks()
        else:  # drop: close the socket abruptly, without the final chunk
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

    def _write_chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_chunks(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # ---- simple GET routes --------------------------------------------------------------

    def _get_route(self, path: str, *, head: bool) -> None:
        fake = self.server_fake
        if path == "/api/version":
            self._send_json(200, {"version": fake.version}, head=head)
        elif path == "/api/tags":
            self._send_json(
                200, {"models": [_tag_entry(m) for m in fake.models.values()]}, head=head
            )
        else:
            self._send_json(200, {"models": self._ps_entries()})

    def _ps_entries(self) -> list[dict[str, Any]]:
        fake = self.server_fake
        entries = []
        for name, (until, num_ctx) in sorted(fake._state.loaded.items(), key=lambda kv: -kv[1][0]):
            model = fake.models.get(name)
            if model is None:
                continue
            expires = datetime.fromtimestamp(until).astimezone().isoformat()
            entries.append(
                {
                    **_tag_entry(model),
                    "expires_at": expires,
                    "size_vram": model.size,
                    "context_length": num_ctx,
                }
            )
        return entries

    # ---- model management ---------------------------------------------------------------

    def _require_model(self, request: dict[str, Any], *, embed: bool = False) -> FakeModel:
        name = request.get("model") or request.get("name") or ""
        if not name:
            raise _error(400, "model is required")
        base, source = _split_source(name)
        fake = self.server_fake
        if source == "cloud" and not fake.cloud and _full_name(base) not in fake.cloud_models:
            raise _error(
                401, "unauthorized", signin_url="https://ollama.com/connect?name=fake&key=abc"
            )
        model = fake._lookup(name)
        if model is None:
            if embed:
                raise _error(404, f'model "{name}" not found, try pulling it first')
            raise _error(404, f"model '{name}' not found")
        return model

    def _show(self, request: dict[str, Any]) -> None:
        model = self._require_model(request)
        info: dict[str, Any] = {
            "general.architecture": model.family,
            "general.parameter_count": 3_212_749_888,
            f"{model.family}.context_length": model.context_length,
        }
        if model.embedding_length:
            info[f"{model.family}.embedding_length"] = model.embedding_length
        self._send_json(
            200,
            {
                "license": "fake licence",
                "modelfile": f"FROM {model.name}\n",
                "parameters": _parameters(model),
                "template": "{{ .Prompt }}",
                "details": _details(model),
                "model_info": info,
                "capabilities": list(model.capabilities),
                "modified_at": _local_time(),
            },
        )

    def _pull(self, request: dict[str, Any]) -> None:
        name = request.get("model") or request.get("name") or ""
        if not name or not re.fullmatch(r"[\w.\-/:]+", name):
            raise _error(400, "invalid model name")
        fake = self.server_fake
        pullable = fake.pullable.get(_full_name(name))
        stream = request.get("stream", True)
        if not stream:
            if pullable is None:
                raise _error(500, "pull model manifest: file does not exist")
            self._finish_pull(name)
            self._send_json(200, {"status": "success"})
            return
        self._stream(self._pull_lines(name, pullable), "/api/pull", first_delay=0.0)

    def _pull_lines(self, name: str, pullable: _Pullable | None) -> Iterator[dict[str, Any]]:
        yield {"status": "pulling manifest"}
        if pullable is None:
            yield {"error": "pull model manifest: file does not exist"}
            return
        for index, size in enumerate(pullable.layer_sizes):
            digest = "sha256:" + hashlib.sha256(f"{name}/{index}".encode()).hexdigest()
            status = f"pulling {digest[7:19]}"
            yield {"status": status, "digest": digest, "total": size}
            done = 0
            while done < size:
                done = min(size, done + pullable.chunk)
                yield {"status": status, "digest": digest, "total": size, "completed": done}
        yield {"status": "verifying sha256 digest"}
        yield {"status": "writing manifest"}
        self._finish_pull(name)
        yield {"status": "success"}

    def _finish_pull(self, name: str) -> None:
        fake = self.server_fake
        if _full_name(name) not in fake.models:
            fake.add_model(FakeModel(name))

    def _delete(self, request: dict[str, Any]) -> None:
        name = request.get("model") or request.get("name") or ""
        if not name:
            raise _error(400, "model is required")
        fake = self.server_fake
        if fake.models.pop(_full_name(name), None) is None:
            raise _error(404, f"model '{name}' not found")
        self._send_raw(200, b"", "text/plain; charset=utf-8")

    def _copy(self, request: dict[str, Any]) -> None:
        source = self._require_model({"model": request.get("source", "")})
        destination = request.get("destination") or ""
        if not destination:
            raise _error(400, "destination is required")
        fake = self.server_fake
        fake.add_model(FakeModel(**{**source.__dict__, "name": destination}))
        self._send_raw(200, b"", "text/plain; charset=utf-8")

    # ---- embeddings ---------------------------------------------------------------------

    def _embed(self, request: dict[str, Any]) -> None:
        model = self._require_model(request, embed=True)
        raw = request.get("input", "")
        texts = [raw] if isinstance(raw, str) else raw
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise _error(400, "invalid input type")
        texts = [t for t in texts if t != ""] if texts == [""] else texts
        dim = model.embedding_length or 384
        wanted = request.get("dimensions")
        vectors = [_fake_vector(t, dim) for t in texts]
        if isinstance(wanted, int) and 0 < wanted < dim:
            vectors = [_normalise(v[:wanted]) for v in vectors]
        self._mark_loaded(model, request)
        self._send_json(
            200,
            {
                "model": request["model"],
                "embeddings": vectors,
                "total_duration": 14_143_917,
                "load_duration": 1_019_500,
                "prompt_eval_count": sum(_token_count(t) for t in texts),
            },
        )

    def _embeddings(self, request: dict[str, Any]) -> None:
        model = self._require_model(request, embed=True)
        prompt = request.get("prompt", "")
        if not isinstance(prompt, str):
            raise _error(400, "invalid input type")
        vector = _fake_vector(prompt, model.embedding_length or 384) if prompt else []
        self._send_json(200, {"embedding": vector})

    # ---- generation ---------------------------------------------------------------------

    def _check_generation(self, request: dict[str, Any], model: FakeModel, kind: str) -> bool:
        """Validate think/tools/logprobs; return whether thinking output is produced."""
        if "completion" not in model.capabilities:
            raise _error(400, f'"{request["model"]}" does not support {kind}')
        think = request.get("think")
        if isinstance(think, str) and think not in _THINK_LEVELS:
            raise _error(
                400,
                f'invalid think value: "{think}" (must be "high", "medium", "low", "max", '
                "true, or false)",
            )
        if think is not None and not isinstance(think, bool | str):
            raise _error(400, "invalid think value")
        can_think = "thinking" in model.capabilities
        if think not in (None, False) and not can_think:
            raise _error(400, f'"{request["model"]}" does not support thinking')
        if request.get("tools") and "tools" not in model.capabilities:
            raise _error(
                400, f"registry.ollama.ai/library/{_full_name(model.name)} does not support tools"
            )
        top = request.get("top_logprobs")
        if top is not None and not (isinstance(top, int) and 0 <= top <= 20):
            raise _error(400, "top_logprobs must be between 0 and 20")
        return can_think and think is not False

    def _reply_text(self, texts: list[str], last_user: str) -> tuple[str, str | None]:
        state = self.server_fake._state
        if state.reply is not None:
            return state.reply, state.reply_thinking
        numbers: list[str] = []
        for text in texts:
            for n in re.findall(r"\[(\d+)\]", text):
                if n not in numbers:
                    numbers.append(n)
        if numbers:
            refs = "".join(f"[{n}]" for n in numbers[:3])
            return f"Based on the sources, the answer is in the documents {refs}.", None
        return f"You asked: {last_user}", None

    def _mark_loaded(self, model: FakeModel, request: dict[str, Any]) -> None:
        """Load the model as Ollama does: num_ctx from the request's options, else its
        Modelfile, else the server's default, never beyond what the model was trained on."""
        asked = (request.get("options") or {}).get("num_ctx")
        wanted = asked or model.num_ctx or self.server_fake.default_num_ctx
        num_ctx = min(int(wanted), model.context_length)
        self.server_fake._state.loaded[_full_name(model.name)] = (time.time() + 300, num_ctx)

    def _chat(self, request: dict[str, Any]) -> None:
        if not request.get("model"):
            raise _error(400, "model is required")
        model = self._require_model(request)
        thinks = self._check_generation(request, model, "chat")
        messages = request.get("messages") or []
        if not messages:
            self._load_reply(request, model, chat=True)
            return
        texts = [str(m.get("content", "")) for m in messages if isinstance(m, dict)]
        users = [str(m.get("content", "")) for m in messages if m.get("role") == "user"]
        self._generate_reply(request, model, thinks, texts, users[-1] if users else "", chat=True)

    def _generate(self, request: dict[str, Any]) -> None:
        if not request.get("model"):
            raise _error(404, "model '' not found")
        model = self._require_model(request)
        thinks = self._check_generation(request, model, "generate")
        if request.get("raw") and any(request.get(k) for k in ("template", "system", "context")):
            raise _error(400, "raw mode does not support template, system, or context")
        prompt = str(request.get("prompt") or "")
        if not prompt:
            self._load_reply(request, model, chat=False)
            return
        texts = [prompt, str(request.get("system") or "")]
        self._generate_reply(request, model, thinks, texts, prompt, chat=False)

    def _load_reply(self, request: dict[str, Any], model: FakeModel, *, chat: bool) -> None:
        reason = "unload" if request.get("keep_alive") in (0, "0", "0s") else "load"
        if reason == "load":
            self._mark_loaded(model, request)
        else:
            self.server_fake._state.loaded.pop(_full_name(model.name), None)
        payload: dict[str, Any] = {"model": request["model"], "created_at": _now()}
        if chat:
            payload["message"] = {"role": "assistant", "content": ""}
        else:
            payload["response"] = ""
        payload.update({"done": True, "done_reason": reason})
        self._send_json(200, payload)

    def _generate_reply(
        self,
        request: dict[str, Any],
        model: FakeModel,
        thinks: bool,
        texts: list[str],
        last_user: str,
        *,
        chat: bool,
    ) -> None:
        text, thinking = self._reply_text(texts, last_user)
        if thinks and thinking is None:
            thinking = _THINKING_TEXT
        if not thinks:
            thinking = None
        words = _words(text)
        limit = (request.get("options") or {}).get("num_predict")
        reason = "stop"
        if isinstance(limit, int) and 0 <= limit < len(words):
            words, reason = words[:limit], "length"
        self._mark_loaded(model, request)
        prompt_tokens = sum(_token_count(t) for t in texts)
        final = _final_metrics(request["model"], reason, prompt_tokens, len(words), chat=chat)
        pieces = [("thinking", w) for w in _words(thinking)] if thinking else []
        pieces += [("content", w) for w in words]
        if not request.get("stream", True):
            self.server_fake._sleep(self.server_fake._state.reply_delay)
            content = "".join(w for k, w in pieces if k == "content")
            thought = "".join(w for k, w in pieces if k == "thinking")
            self._send_json(200, _with_text(final, content, thought, chat=chat))
            return
        lines = (_chunk(request["model"], kind, piece, chat=chat) for kind, piece in pieces)
        path = "/api/chat" if chat else "/api/generate"
        fake = self.server_fake
        self._stream(_then(lines, final), path, first_delay=fake._state.first_token_delay)

    # ---- Anthropic-compatible /v1/messages ------------------------------------------------

    def _messages(self, request: dict[str, Any]) -> None:
        name = request.get("model") or ""
        if not name:
            raise _ReplyError(400, _anthropic_error(400, "model is required"))
        max_tokens = request.get("max_tokens")
        if not isinstance(max_tokens, int) or max_tokens <= 0:
            raise _ReplyError(
                400, _anthropic_error(400, "max_tokens is required and must be positive")
            )
        messages = request.get("messages") or []
        if not messages:
            raise _ReplyError(400, _anthropic_error(400, "messages is required"))
        model = self.server_fake._lookup(name)
        if model is None:
            raise _ReplyError(404, _anthropic_error(404, f"model '{name}' not found"))
        tools = [str(t.get("name")) for t in request.get("tools") or [] if isinstance(t, dict)]
        if tools and "tools" not in model.capabilities:
            message = f"registry.ollama.ai/library/{_full_name(model.name)} does not support tools"
            raise _ReplyError(400, _anthropic_error(400, message))
        think = _anthropic_think(request)
        if "thinking" in model.capabilities:
            thinking_on = think is None or think is not False
        else:
            # The Anthropic route sets relax_thinking: a model that cannot think answers
            # without thinking instead of the 400 /api/chat gives.
            if think not in (None, False):
                self.server_fake.relaxed_thinking += 1
            thinking_on = False
        self._mark_loaded(model, {})
        texts = [_block_text(m.get("content")) for m in messages]
        users = [_block_text(m.get("content")) for m in messages if m.get("role") == "user"]
        call = self._scripted_tool_use(tools)
        text = "" if call else self._reply_text(texts, users[-1] if users else "")[0]
        thinking = _THINKING_TEXT if thinking_on else ""
        words = _words(text)[:max_tokens] if text else []
        message_id = "msg_" + uuid.uuid4().hex[:24]
        output = len(words) + (len(json.dumps(call[2])) // 4 if call else 0)
        usage = {"input_tokens": sum(_token_count(t) for t in texts), "output_tokens": output}
        stop = "tool_use" if call else "end_turn"
        if not request.get("stream"):
            content: list[dict[str, Any]] = []
            if thinking:
                content.append({"type": "thinking", "thinking": thinking})
            if words or not call:
                content.append({"type": "text", "text": "".join(words)})
            if call:
                content.append(
                    {"type": "tool_use", "id": call[0], "name": call[1], "input": call[2]}
                )
            self._send_json(
                200,
                {
                    "id": message_id,
                    "type": "message",
                    "role": "assistant",
                    "model": name,
                    "content": content,
                    "stop_reason": stop,
                    "usage": usage,
                },
            )
            return
        self._send_sse(_sse_events(message_id, name, thinking, words, usage, call))

    def _scripted_tool_use(self, offered: list[str]) -> tuple[str, str, dict[str, Any]] | None:
        """The next scripted call, if the request offers its tool: (id, name, arguments)."""
        state = self.server_fake._state
        with state.lock:
            if not state.tool_uses or state.tool_uses[0][0] not in offered:
                return None
            name, arguments = state.tool_uses.pop(0)
        return "call_" + uuid.uuid4().hex[:8], name, arguments

    def _send_sse(self, events: Iterator[tuple[str, dict[str, Any]]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event, data in events:
            payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            self._write_chunk(f"event: {event}\ndata: {payload}\n\n")
        self._end_chunks()


def _parameters(model: FakeModel) -> str:
    lines = ['stop                           "<|eot_id|>"']
    if model.num_ctx:
        lines.append(f"num_ctx                        {model.num_ctx}")
    return "\n".join(lines)


def _details(model: FakeModel) -> dict[str, Any]:
    return {
        "parent_model": "",
        "format": "gguf",
        "family": model.family,
        "families": [model.family],
        "parameter_size": model.parameter_size,
        "quantization_level": model.quantization,
    }


def _tag_entry(model: FakeModel) -> dict[str, Any]:
    name = _full_name(model.name)
    return {
        "name": name,
        "model": name,
        "modified_at": _local_time(),
        "size": model.size,
        "digest": model.digest,
        "details": _details(model),
    }


def _chunk(model: str, kind: str, piece: str, *, chat: bool) -> dict[str, Any]:
    if chat:
        message: dict[str, Any] = {"role": "assistant", "content": ""}
        message[kind] = piece
        return {"model": model, "created_at": _now(), "message": message, "done": False}
    line: dict[str, Any] = {"model": model, "created_at": _now(), "response": ""}
    if kind == "thinking":
        line["thinking"] = piece
    else:
        line["response"] = piece
    line["done"] = False
    return line


def _final_metrics(
    model: str, reason: str, prompt_tokens: int, eval_tokens: int, *, chat: bool
) -> dict[str, Any]:
    final: dict[str, Any] = {"model": model, "created_at": _now()}
    if chat:
        final["message"] = {"role": "assistant", "content": ""}
    else:
        final["response"] = ""
    final.update(
        {
            "done": True,
            "done_reason": reason,
            "total_duration": 4_883_583_458,
            "load_duration": 1_334_875,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": 342_546_000,
            "eval_count": eval_tokens,
            "eval_duration": 453_559_900 * max(1, eval_tokens) // 10,
        }
    )
    if not chat:
        final["context"] = [1, 2, 3]
    return final


def _with_text(final: dict[str, Any], content: str, thinking: str, *, chat: bool) -> dict[str, Any]:
    result = dict(final)
    if chat:
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if thinking:
            message["thinking"] = thinking
        result["message"] = message
    else:
        result["response"] = content
        if thinking:
            result["thinking"] = thinking
    return result


def _then(lines: Iterator[dict[str, Any]], last: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from lines
    yield last


def _block_text(content: Any) -> str:
    """The text of a message's content, tool results included."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, dict):
                inner = block.get("content") if block.get("type") == "tool_result" else None
                parts.append(_block_text(inner) if inner else str(block.get("text", "")))
        return "".join(parts)
    return ""


def _anthropic_think(request: dict[str, Any]) -> bool | str | None:
    """Ollama's `think` for an Anthropic request: thinking enabled/disabled, else
    output_config.effort ("xhigh" read as "high"), else unset."""
    thinking = request.get("thinking")
    kind = thinking.get("type") if isinstance(thinking, dict) else None
    if kind == "enabled":
        return True
    if kind == "disabled":
        return False
    config = request.get("output_config")
    effort = str(config.get("effort") or "").strip().lower() if isinstance(config, dict) else ""
    effort = "high" if effort == "xhigh" else effort
    return effort if effort in _THINK_LEVELS else None


def _anthropic_error(status: int, message: str) -> dict[str, Any]:
    kinds = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        429: "rate_limit_error",
        503: "overloaded_error",
        529: "overloaded_error",
    }
    return {
        "type": "error",
        "error": {"type": kinds.get(status, "api_error"), "message": message},
        "request_id": "req_" + uuid.uuid4().hex[:24],
    }


def _sse_events(
    message_id: str,
    model: str,
    thinking: str,
    words: list[str],
    usage: dict[str, int],
    call: tuple[str, str, dict[str, Any]] | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    estimate = {"input_tokens": usage["input_tokens"], "output_tokens": 0}
    yield (
        "message_start",
        {
            "type": "message_start",
            "message": {
                "id": message_id,
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [],
                "usage": estimate,
            },
        },
    )
    index = 0
    if thinking:
        yield _block_start(index, {"type": "thinking", "thinking": ""})
        yield _block_delta(index, {"type": "thinking_delta", "thinking": thinking})
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
        index += 1
    if words or call is None:
        yield _block_start(index, {"type": "text", "text": ""})
        for word in words:
            yield _block_delta(index, {"type": "text_delta", "text": word})
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
        index += 1
    if call is not None:
        # As Ollama streams a tool call: an empty input, then the arguments whole.
        call_id, name, arguments = call
        yield _block_start(index, {"type": "tool_use", "id": call_id, "name": name, "input": {}})
        partial = json.dumps(arguments, separators=(",", ":"))
        yield _block_delta(index, {"type": "input_json_delta", "partial_json": partial})
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    stop = "end_turn" if call is None else "tool_use"
    yield (
        "message_delta",
        {"type": "message_delta", "delta": {"stop_reason": stop}, "usage": usage},
    )
    yield "message_stop", {"type": "message_stop"}


def _block_start(index: int, block: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "content_block_start", {
        "type": "content_block_start",
        "index": index,
        "content_block": block,
    }


def _block_delta(index: int, delta: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
