"""`hearth history list|show|export|rm`: the conversations the window shows, headless.

They live in the data folder's SQLite file beside the knowledge bases; exports are the same
Markdown (or JSON) the window writes, in files readable by their owner only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.cli.confirm import confirmed
from desktop.core.conversations import EXPORT_FORMATS, Conversation, conversation_to_dict
from desktop.core.errors import StoreError
from desktop.store.history import ConversationStore

if TYPE_CHECKING:
    from desktop.app import Services

T = TypeVar("T")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = sub.add_parser("history", help="list, show, export or delete conversations")
    hsub = history.add_subparsers(dest="history_command", required=True, metavar="COMMAND")
    listing = hsub.add_parser("list", help="conversations, most recent first")
    listing.add_argument("--search", default="", metavar="TEXT", help="in titles and messages")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    show = hsub.add_parser("show", help="one conversation's questions and answers")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    export = hsub.add_parser("export", help="write a conversation as Markdown or JSON")
    export.add_argument("id", type=int, metavar="ID")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="md", help="default md")
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (mode 0600), not stdout"
    )
    rm = hsub.add_parser("rm", help="delete a conversation (asks first)")
    rm.add_argument("id", type=int, metavar="ID")
    rm.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _row(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.conversation_id,
        "title": c.title,
        "kb": c.kb,
        "messages": c.message_count,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


async def run(args: argparse.Namespace, services: Services) -> int:
    # Only the conversations (no vector store, no embedder), each step in one worker
    # thread: SQLite connections belong to the thread that opened them.
    db_path = services.ctx.paths.db_path
    if args.history_command == "rm":
        return await _rm(args, db_path)
    return await asyncio.to_thread(_with_store, db_path, lambda s: _run(args, s))


async def _rm(args: argparse.Namespace, db_path: Path) -> int:
    # A wrong ID is named before anyone is asked, and nothing is deleted in silence.
    found = await asyncio.to_thread(_with_store, db_path, lambda s: _get(s, args.id))
    messages = "1 message" if found.message_count == 1 else f"{found.message_count} messages"
    if not await confirmed(
        f"Delete conversation {args.id} \u201c{found.title}\u201d ({messages})?",
        refusal=f"Refusing to delete conversation {args.id} without confirmation.",
        yes=args.yes,
    ):
        return 1
    await asyncio.to_thread(_with_store, db_path, lambda s: s.delete(args.id))
    print(f"Deleted conversation {args.id}.", file=sys.stderr)
    return 0


def _with_store(db_path: Path, work: Callable[[ConversationStore], T]) -> T:
    store = ConversationStore(db_path)
    try:
        return work(store)
    finally:
        store.close()


def _run(args: argparse.Namespace, store: ConversationStore) -> int:
    command = args.history_command
    if command == "list":
        _list(store.conversations(args.search), as_json=args.json)
    elif command == "show" and args.json:
        found = _get(store, args.id)
        data = conversation_to_dict(found, store.messages(args.id))
        print(json.dumps(data, ensure_ascii=False))
    elif command == "show" or (command == "export" and args.output is None):
        _get(store, args.id)
        print(store.export(args.id, getattr(args, "format", "md")), end="")
    else:
        _get(store, args.id)
        store.export_to(args.id, args.output, args.format)
        print(f"Saved conversation {args.id} to {args.output}.", file=sys.stderr)
    return 0


def _list(found: list[Conversation], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps([_row(c) for c in found], ensure_ascii=False))
        return
    if not found:
        print("No conversations yet.", file=sys.stderr)
    for c in found:
        kb = f"  [{c.kb}]" if c.kb else ""
        print(
            f"{c.conversation_id:>5}  {_when(c.updated_at)}  {c.message_count:>3} messages  "
            f"{c.title}{kb}"
        )


def _get(store: ConversationStore, cid: int) -> Conversation:
    try:
        return store.get(cid)
    except StoreError as exc:
        raise StoreError(exc.message, exc.hint or "See them with: hearth history list") from None
