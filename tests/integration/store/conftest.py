"""Chroma clients for the store tests: embedded in a temp folder, and a real `chroma run`
server on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from chromadb.api import ClientAPI

from desktop.store.vectors import open_chroma_client

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) for the whole session; yields its URL."""
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log_path = data / "server.log"
    with log_path.open("wb") as log:
        args = [str(CHROMA), "run", "--path", str(data / "db"), "--host", "127.0.0.1"]
        proc = subprocess.Popen(
            [*args, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(params=["embedded", "server"])
def chroma_client(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, ClientAPI]]:
    """Each test using this runs twice: against an embedded store and against the server."""
    if request.param == "embedded":
        yield "embedded", open_chroma_client("embedded", tmp_path / "chroma")
        return
    url: str = request.getfixturevalue("chroma_server")
    yield "server", open_chroma_client("server", tmp_path, url)
