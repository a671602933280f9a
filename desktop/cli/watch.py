"""`hearth watch PATH... [--kb NAME]`: keep folders indexed while it runs.

It indexes the folders at once (unchanged files are skipped by their content), then scans
them every few seconds: new and changed files are indexed, deleted ones leave the knowledge
base. It holds the data folder's write lock the whole time (one writer per data folder),
and Ctrl+C stops it cleanly: an interrupted file is indexed again on the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.knowledge import index
from desktop.core.documents import DEFAULT_KB
from desktop.core.errors import AppError
from desktop.core.watch import FolderChanges, vanished

if TYPE_CHECKING:
    from desktop.app import Services


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    watch = sub.add_parser("watch", help="keep folders indexed while it runs (Ctrl+C stops)")
    watch.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    watch.add_argument("--kb", default=DEFAULT_KB, metavar="NAME", help="knowledge base")
    watch.add_argument(
        "--interval",
        type=_seconds,
        default=2.0,
        metavar="SECONDS",
        help="how often to look for changes (default 2)",
    )


def _seconds(text: str) -> float:
    """An argparse type: seconds from 0.1 to 3600."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.1 and 3600")
    return value


def _roots(paths: list[Path]) -> list[Path]:
    roots = [Path(os.path.abspath(p)) for p in paths]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise AppError(
            f"Cannot watch what does not exist: {', '.join(missing)}.",
            "Check the paths and try again.",
        )
    return roots


async def run(args: argparse.Namespace, services: Services) -> int:
    roots = _roots(args.paths)
    knowledge = await services.knowledge()
    await knowledge.session.writable()  # one writer per data folder: refused at once if busy
    watcher = services.folder_watcher(roots, interval=args.interval)
    # Scanned before indexing, so a change made meanwhile is seen on the first look.
    await watcher.scan()
    verbose = getattr(args, "verbose", False)
    await index(knowledge, roots, args.kb, verbose=verbose)
    names = ", ".join(str(r) for r in roots)
    print(f"Watching {names} (Ctrl+C stops).", file=sys.stderr, flush=True)
    async for found in watcher.changes():
        await _apply(found, roots, args.kb, services, verbose=verbose)
    return 0


async def _apply(
    found: FolderChanges, roots: list[Path], kb: str, services: Services, *, verbose: bool
) -> None:
    from desktop.ingest.walk import unwanted

    knowledge = await services.knowledge()
    gone = set(vanished(found, roots))
    if gone:
        documents = await knowledge.kbs.documents(kb)
        doc_ids = [d.doc_id for d in documents if d.path in gone]
        if doc_ids:
            await knowledge.ingest.remove_documents(kb, doc_ids)
        for path in sorted(gone):
            print(f"removed: {path}", file=sys.stderr)
        print(f"{len(doc_ids)} removed from knowledge base {kb!r}.", file=sys.stderr, flush=True)
    changed: list[Path] = []
    for file in map(Path, found.changed):
        reason = await asyncio.to_thread(unwanted, file)  # reads its first bytes
        if reason is None:
            changed.append(file)
        elif verbose:
            print(f"skipped: {file}: {reason}", file=sys.stderr)
    if changed:
        print(f"{len(changed)} changed: indexing.", file=sys.stderr, flush=True)
        await index(knowledge, changed, kb, verbose=verbose, resume=False)
