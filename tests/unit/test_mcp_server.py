"""The MCP protocol as `hearth mcp` speaks it, driven in-process with stand-in tools."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from desktop.mcp_server import PROTOCOL_VERSIONS, McpServer, ToolError

pytestmark = pytest.mark.unit


class StandInTools:
    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def search(self, **arguments: Any) -> dict[str, Any]:
        self.calls.append(("search", arguments))
        if arguments["query"] == "wait":
            await self.release.wait()
        if arguments["query"] == "fail":
            raise ToolError("nothing matches")
        return {"results": [{"rank": 1, "text": arguments["query"]}]}

    async def list_knowledge_bases(self) -> dict[str, Any]:
        return {"knowledge_bases": [{"name": "home"}]}

    async def read_document(self, **arguments: Any) -> str:
        return f"text of {arguments['path']}"


class Client:
    """Feeds lines to a server and collects what it writes."""

    def __init__(self, tools: asyncio.Future[Any]) -> None:
        self.lines: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.sent: list[dict[str, Any]] = []
        self.server = McpServer(tools, lambda data: self.sent.append(json.loads(data)))
        self.task = asyncio.create_task(self.server.serve(self._input()))

    async def _input(self) -> AsyncIterator[bytes]:
        while (line := await self.lines.get()) is not None:
            yield line

    def send(self, message: object) -> None:
        self.lines.put_nowait(
            message if isinstance(message, bytes) else json.dumps(message).encode()
        )

    def request(self, n: int, method: str, params: dict[str, Any] | None = None) -> None:
        self.send({"jsonrpc": "2.0", "id": n, "method": method, "params": params or {}})

    async def answer(self, n: object) -> dict[str, Any]:
        for _ in range(1000):
            for message in self.sent:
                if message.get("id") == n:
                    return message
            await asyncio.sleep(0)
        raise AssertionError(f"no answer to {n}: {self.sent}")

    async def close(self) -> None:
        self.lines.put_nowait(None)
        await self.task


def ready(tools: Any) -> asyncio.Future[Any]:
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    future.set_result(tools)
    return future


async def test_handshake_listing_and_errors() -> None:
    client = Client(ready(StandInTools()))
    client.request(1, "initialize", {"protocolVersion": "2025-06-18"})
    client.request(2, "initialize", {"protocolVersion": "1999-01-01"})
    client.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    client.request(3, "ping")
    client.request(4, "tools/list")
    client.request(5, "resources/list")
    client.send(b"{not json")
    client.request(6, "tools/call", {"name": "delete_everything", "arguments": {}})
    client.send({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": [1]})
    client.request(8, "tools/call", {"name": ["not", "a", "name"]})
    await client.close()
    assert (await client.answer(1))["result"]["protocolVersion"] == "2025-06-18"
    assert (await client.answer(2))["result"]["protocolVersion"] == PROTOCOL_VERSIONS[0]
    assert (await client.answer(3))["result"] == {}
    tools = {t["name"]: t for t in (await client.answer(4))["result"]["tools"]}
    search = tools["search_knowledge_base"]["inputSchema"]
    assert search["required"] == ["query"]
    assert search["properties"]["k"] == {
        "type": "integer",
        "description": "How many passages (1-50, default 8).",
        "minimum": 1,
        "maximum": 50,
    }
    assert all(t["annotations"]["readOnlyHint"] for t in tools.values())
    # Search and listing say what their structured results hold; reading returns text.
    passage = tools["search_knowledge_base"]["outputSchema"]["properties"]["results"]["items"]
    assert {"source", "page", "start", "end", "ocr"} <= set(passage["required"])
    assert passage["properties"]["ocr"]["type"] == ["boolean", "null"]
    assert "outputSchema" in tools["list_knowledge_bases"]
    assert "outputSchema" not in tools["read_document"]
    assert (await client.answer(5))["error"]["code"] == -32601
    assert (await client.answer(None))["error"]["code"] == -32700
    assert (await client.answer(6))["error"]["code"] == -32602
    assert (await client.answer(7))["error"]["code"] == -32602
    assert (await client.answer(8))["error"]["code"] == -32602
    # The notification got no answer: one message per request and one for the bad JSON.
    assert len(client.sent) == 9


async def test_arguments_are_checked_before_the_tool_runs() -> None:
    tools = StandInTools()
    client = Client(ready(tools))
    client.request(1, "tools/call", {"name": "search_knowledge_base", "arguments": {}})
    client.request(
        2, "tools/call", {"name": "search_knowledge_base", "arguments": {"query": "x", "k": "3"}}
    )
    client.request(
        3, "tools/call", {"name": "search_knowledge_base", "arguments": {"query": "x", "k": True}}
    )
    client.request(
        4, "tools/call", {"name": "read_document", "arguments": {"path": "a.md", "pages": 2}}
    )
    client.request(
        5,
        "tools/call",
        {"name": "search_knowledge_base", "arguments": {"query": "tea", "knowledge_base": None}},
    )
    client.request(
        6, "tools/call", {"name": "search_knowledge_base", "arguments": {"query": "fail"}}
    )
    await client.close()
    texts = {n: (await client.answer(n))["result"] for n in range(1, 7)}
    assert texts[1]["isError"] and "query is required" in texts[1]["content"][0]["text"]
    assert (
        texts[2]["isError"] and 'k must be an integer (got "3")' in texts[2]["content"][0]["text"]
    )
    assert (
        texts[3]["isError"] and "k must be an integer (got true)" in texts[3]["content"][0]["text"]
    )
    assert texts[4]["isError"] and "Unknown argument pages" in texts[4]["content"][0]["text"]
    assert not texts[5]["isError"]
    # A JSON object comes back structured, and as the same JSON in text.
    assert texts[5]["structuredContent"] == {"results": [{"rank": 1, "text": "tea"}]}
    assert json.loads(texts[5]["content"][0]["text"]) == texts[5]["structuredContent"]
    assert texts[6]["isError"] and texts[6]["content"][0]["text"] == "nothing matches"
    assert "structuredContent" not in texts[6]
    assert tools.calls == [("search", {"query": "tea"}), ("search", {"query": "fail"})]


async def test_calls_wait_for_the_store_and_a_cancelled_one_is_not_answered() -> None:
    tools = StandInTools()
    opening: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    client = Client(opening)
    client.request(1, "initialize", {"protocolVersion": "2025-11-25"})
    client.request(
        2, "tools/call", {"name": "search_knowledge_base", "arguments": {"query": "wait"}}
    )
    client.request(3, "tools/call", {"name": "list_knowledge_bases", "arguments": {}})
    await client.answer(1)  # answered while the store is still opening
    client.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 2}})
    client.request(4, "ping")
    await client.answer(4)
    assert not opening.cancelled()  # cancelling one call leaves the opening to the others
    opening.set_result(tools)
    listed = await client.answer(3)
    assert listed["result"]["structuredContent"] == {"knowledge_bases": [{"name": "home"}]}
    await client.close()
    assert all(m.get("id") != 2 for m in client.sent)


async def test_calls_in_flight_are_answered_after_the_input_ends() -> None:
    tools = StandInTools()
    client = Client(ready(tools))
    client.request(
        1, "tools/call", {"name": "search_knowledge_base", "arguments": {"query": "wait"}}
    )
    client.lines.put_nowait(None)
    await asyncio.sleep(0)
    tools.release.set()
    await client.task
    assert not (await client.answer(1))["result"]["isError"]
