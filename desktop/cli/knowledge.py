"""`hearth ingest|search|ask|kb`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.confirm import confirmed
from desktop.cli.progress import ProgressLine, bar
from desktop.core.citations import cited_numbers
from desktop.core.documents import DEFAULT_KB, DocumentStatus, KnowledgeBaseSummary, SearchHit
from desktop.core.errors import AppError
from desktop.core.events import (
    Done,
    Error,
    FileEmbedding,
    FileFailed,
    FileQueued,
    FileReading,
    FileReady,
    FileRecognising,
    FileSkipped,
    IngestEvent,
    IngestSummary,
    Notice,
    PartRead,
    Retrieved,
    Token,
)

if TYPE_CHECKING:
    from desktop.app import Services
    from desktop.knowledge import KnowledgeServices

Command = Callable[[argparse.Namespace, "Services"], Awaitable[int]]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ingest = sub.add_parser("ingest", help="index files and folders")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _kb(ingest)
    ingest.add_argument("--force", action="store_true", help="index unchanged files again")
    ingest.add_argument(
        "--json", action="store_true", help="also print the summary as one JSON object"
    )
    ingest.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps `hearth -v ingest` working
        help="name each file left out, and why (and log to stderr)",
    )
    search = sub.add_parser("search", help="find passages (no model needed)")
    what = search.add_mutually_exclusive_group(required=True)
    what.add_argument("query", nargs="?", help="the text to search for")
    what.add_argument("--batch", type=Path, metavar="QUERIES.jsonl", help="BEIR-style queries")
    _kbs(search)
    search.add_argument("-k", type=_count, default=10, help="how many passages (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON")
    ask = sub.add_parser("ask", help="answer a question from the knowledge base")
    ask.add_argument("question")
    _kbs(ask)
    ask.add_argument("--provider", choices=("local", "cloud", "auto"), default=None)
    ask.add_argument("--model", default=None, help="chat model (default: from settings)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--document",
        action="append",
        type=lambda text: Path(os.path.abspath(os.path.expanduser(text))),
        metavar="PATH",
        help="answer about this document as a whole (indexed into the first --kb first if "
        "it is not yet); give it several times to compare documents",
    )
    kb = sub.add_parser("kb", help="list, rename, remove or re-index knowledge bases")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="COMMAND")
    kb_list = kb_sub.add_parser("list", help="knowledge bases with their documents and chunks")
    kb_list.add_argument("--json", action="store_true", help="print one JSON array")
    rename = kb_sub.add_parser("rename", help="give a knowledge base another name")
    rename.add_argument("name")
    rename.add_argument("new_name", metavar="NEW_NAME")
    remove = kb_sub.add_parser("remove", help="delete a knowledge base and its index")
    remove.add_argument("name")
    remove.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    kb_sub.add_parser("reindex", help="index every document again").add_argument("name")


def _count(text: str) -> int:
    """An argparse type: a whole number from 1 to 1000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def _kb(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", default=DEFAULT_KB, metavar="NAME", help="knowledge base")


def _kbs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kb",
        action="append",
        metavar="NAME",
        help=f"knowledge base to search ({DEFAULT_KB} when none); give it again to search "
        "several at once",
    )


def _searched(args: argparse.Namespace) -> list[str]:
    """The knowledge bases named with --kb, each once, in order (the default when none)."""
    return list(dict.fromkeys(args.kb or [DEFAULT_KB]))


# ---- ingest ---------------------------------------------------------------------------------


class IngestView:
    """Progress on stderr: files done of total, the current file, chunks per second."""

    def __init__(self) -> None:
        self.line = ProgressLine()
        self.total = 0
        self.done = 0
        self.chunks = 0
        self.started = time.monotonic()
        self.current = ""
        self.failures: list[FileFailed] = []
        # Files and folders the walk left out on purpose (called from the walk's thread).
        self.left_out: list[tuple[Path, str]] = []

    def skip(self, path: Path, reason: str) -> None:
        self.left_out.append((path, reason))

    @staticmethod
    def ignore(path: Path, reason: str) -> None:
        """Told of left-out files once this view's run is over."""

    def skipped_counts(self) -> str:
        """ "" or ", 3 skipped: 2 binary content, 1 hidden" (the reason alone for one)."""
        if not self.left_out:
            return ""
        counts = Counter(reason for _, reason in self.left_out)
        if len(counts) == 1:
            return f", {len(self.left_out)} skipped: {next(iter(counts))}"
        detail = ", ".join(f"{n} {reason}" for reason, n in counts.most_common())
        return f", {len(self.left_out)} skipped: {detail}"

    def report_skipped(self) -> None:
        """Each file or folder left out, with why (--verbose)."""
        for path, reason in self.left_out:
            print(f"skipped: {path}: {reason}", file=sys.stderr)

    def __call__(self, event: IngestEvent) -> None:
        if isinstance(event, FileQueued):
            self.total += 1
        elif isinstance(event, FileReading):
            self.current = Path(event.path).name
        elif isinstance(event, FileReady):
            self.done += 1
            self.chunks += event.chunk_count
        elif isinstance(event, FileSkipped):
            self.done += 1
        elif isinstance(event, FileFailed):
            self.done += 1
            self.failures.append(event)
        elif isinstance(event, FileEmbedding):
            self.current = f"{Path(event.path).name} ({event.done}/{event.total} chunks)"
        elif isinstance(event, FileRecognising):
            name = Path(event.path).name
            self.current = f"{name} (OCR: page {event.page} of {event.pages})"
        if isinstance(event, IngestSummary):
            return
        rate = self.chunks / max(1e-6, time.monotonic() - self.started)
        fraction = self.done / self.total if self.total else 0.0
        failed = f" ({len(self.failures)} failed)" if self.failures else ""
        self.line.update(
            f"{bar(fraction)} {self.done}/{self.total} files{failed}  {rate:6.1f} chunks/s  "
            f"{self.current}",
            force=self.done == self.total,
        )

    def as_json(self, summary: IngestSummary) -> dict[str, Any]:
        """The summary, every file left out and every failure, as `ingest --json` prints."""
        return {
            "kb": summary.kb,
            "indexed": summary.ready,
            "unchanged": summary.skipped,
            "failed": summary.failed,
            "chunks": summary.chunks,
            "seconds": round(summary.seconds, 3),
            "skipped": [{"path": str(p), "reason": r} for p, r in self.left_out],
            "failures": [
                {"path": f.path, "kind": f.kind, "message": f.message, "hint": f.hint}
                for f in self.failures
            ],
        }

    def report_failures(self) -> None:
        """Each failed file with its reason, after the summary, where it cannot scroll away."""
        for failure in self.failures:
            print(f"failed: {failure.path}: {failure.message}", file=sys.stderr)


async def index(
    knowledge: KnowledgeServices,
    paths: Sequence[Path],
    kb: str,
    *,
    force: bool = False,
    verbose: bool = False,
    resume: bool = True,
) -> tuple[IngestSummary, IngestView]:
    """Index files and folders with progress on stderr, then the summary line: what was
    indexed, unchanged, failed and left out (each left-out file too when `verbose`), and
    each failure with its reason. `resume` first finishes what an interrupted run left."""
    view = IngestView()
    from desktop.ingest.walk import FileReader  # the loaders: only when ingesting

    reader = knowledge.ingest.reader
    if isinstance(reader, FileReader):
        reader.on_skip = view.skip
    try:
        if resume and knowledge.recovery and knowledge.recovery.requeued:
            await knowledge.ingest.resume(knowledge.recovery, on_event=view)
        summary = await knowledge.ingest.ingest(paths, kb, on_event=view, force=force)
    finally:
        view.line.finish()
        if isinstance(reader, FileReader):
            reader.on_skip = view.ignore
    print(
        f"{summary.ready} indexed, {summary.skipped} unchanged, {summary.failed} failed"
        f"{view.skipped_counts()} ({summary.chunks} chunks in {summary.seconds:.1f}s) into "
        f"knowledge base {summary.kb!r}.",
        file=sys.stderr,
    )
    if verbose:
        view.report_skipped()
    view.report_failures()
    return summary, view


async def _ingest(args: argparse.Namespace, services: Services) -> int:
    knowledge = await services.knowledge()
    summary, view = await index(
        knowledge,
        args.paths,
        args.kb,
        force=args.force,
        verbose=getattr(args, "verbose", False),
    )
    if args.json:
        print(json.dumps(view.as_json(summary), ensure_ascii=False))
    return 1 if summary.failed else 0


# ---- search ---------------------------------------------------------------------------------


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    offsets = hit.chunk.offsets
    return {
        "kb": hit.kb,
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "source": hit.chunk.source,
        "page": hit.chunk.page,
        "chunk_id": hit.chunk.chunk_id,
        "heading": list(hit.chunk.heading_path),
        "start": offsets[0] if offsets else None,
        "end": offsets[1] if offsets else None,
        "ocr": hit.chunk.ocr,
        "regions": [list(box) for box in hit.chunk.regions],
        "text": hit.chunk.text,
    }


def _where(hit: SearchHit, *, several: bool) -> str:
    """The passage's file, with its page and whether OCR read it ("a.pdf, page 2, OCR"),
    and its knowledge base when several were searched ("notes: a.pdf, page 2")."""
    chunk = hit.chunk
    page = f", page {chunk.page}" if chunk.page else ""
    where = chunk.source + page + (", OCR" if chunk.ocr else "")
    return f"{hit.kb}: {where}" if several else where


def _print_hit(hit: SearchHit, *, several: bool) -> None:
    print(f"{hit.rank}. {_where(hit, several=several)}  score {hit.score:.3f}")
    text = " ".join(hit.chunk.text.split())
    print(f"   {text[:300]}{'…' if len(text) > 300 else ''}")


def _read_queries(path: Path) -> list[tuple[str, str]]:
    """(query id, text) pairs from a BEIR-style JSON-lines file, all checked up front."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise AppError(f"Cannot read {path}: {reason}.") from None
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
            queries.append((str(query["_id"]), str(query["text"])))
        except (ValueError, KeyError, TypeError):
            raise AppError(
                f"Line {number} of {path} is not a query object.",
                'Each line must be JSON like {"_id": "q1", "text": "..."}.',
            ) from None
    return queries


async def _search(args: argparse.Namespace, services: Services) -> int:
    # A bad queries file fails before the store and the embedder are loaded.
    queries = _read_queries(args.batch) if args.batch is not None else []
    knowledge = await services.knowledge()
    retriever = knowledge.retriever
    kbs = _searched(args)
    if args.batch is not None:
        # One query at a time: the embedder already uses every core, and overlapping
        # searches measured twice as slow.
        for qid, text in queries:
            hits = await retriever.search_across(text, kbs, k=args.k)
            row = {"query_id": qid, "results": [_hit_json(h) for h in hits]}
            print(json.dumps(row, ensure_ascii=False))
        return 0
    hits = await retriever.search_across(args.query, kbs, k=args.k)
    if args.json:
        print(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False))
    elif not hits:
        print("No passages matched.", file=sys.stderr)
    else:
        for hit in hits:
            _print_hit(hit, several=len(kbs) > 1)
    return 0


# ---- ask ------------------------------------------------------------------------------------


class _Answer:
    """Collects the events of one answer; streams the text unless JSON was asked for."""

    def __init__(self, stream: bool, *, several: bool = False) -> None:
        self.stream = stream
        self.several = several  # more than one knowledge base searched: name each source's
        self.passages: list[SearchHit] = []  # every passage sent, source n is passages[n - 1]
        self.text: list[str] = []
        self.done: Done | None = None
        self.failure: Error | None = None

    def take(self, event: object) -> None:
        if isinstance(event, Retrieved):
            self.passages = [c.hit for c in event.citations]
        elif isinstance(event, Token):
            self.text.append(event.text)
            if self.stream:
                sys.stdout.write(event.text)
                sys.stdout.flush()
        elif isinstance(event, Notice):
            print(f"note: {event.text}", file=sys.stderr)
        elif isinstance(event, PartRead):
            doing = "Reading part" if event.stage == "reading" else "Combining notes"
            print(f"note: {doing} {event.part} of {event.parts}", file=sys.stderr)
        elif isinstance(event, Done):
            self.done = event
        elif isinstance(event, Error):
            self.failure = event

    def cited(self) -> list[tuple[int, SearchHit]]:
        """The numbered sources the answer cites (what it wrote, stopped or failed or not)."""
        numbers = sorted(cited_numbers("".join(self.text), len(self.passages)))
        return [(n, self.passages[n - 1]) for n in numbers]

    def also_searched(self) -> list[tuple[int, SearchHit]]:
        cited = {n for n, _ in self.cited()}
        return [(n, h) for n, h in enumerate(self.passages, start=1) if n not in cited]

    def as_json(self) -> str:
        done, failure = self.done, self.failure
        error = None
        if failure is not None:
            error = {
                "kind": failure.error.kind,
                "message": failure.error.message,
                "hint": failure.error.hint,
            }
        return json.dumps(
            {
                "answer": "".join(self.text),
                "model": done.model if done else None,
                "provider": done.provider.value if done else None,
                "sources": [{"n": n, **_hit_json(h)} for n, h in self.cited()],
                "also_searched": [{"n": n, **_hit_json(h)} for n, h in self.also_searched()],
                "error": error,
            },
            ensure_ascii=False,
        )

    def print_tail(self) -> None:
        cited = self.cited()
        if not self.text and self.passages:
            # No written answer: the passages themselves are the most useful output.
            print("Best passages:")
            for hit in self.passages:
                _print_hit(hit, several=self.several)
        elif cited:
            print("\n\nSources:")
            for n, hit in cited:
                print(f"[{n}] {_where(hit, several=self.several)}")
        elif self.text:
            print()
        if self.done is not None:
            rate = self.done.stats.tokens_per_second
            speed = f", {rate:.0f} tokens/s" if rate else ""
            print(f"\n({self.done.model}, {self.done.provider.value}{speed})", file=sys.stderr)
        if self.failure is not None and not self.text and self.passages:
            print("There is no written answer; above are the best passages.", file=sys.stderr)


async def _documents(args: argparse.Namespace, knowledge: KnowledgeServices) -> list[str] | None:
    """The ids of the documents named with --document, indexing any that are new or
    changed first; None (after saying why) when one cannot be read."""
    paths: list[Path] = args.document
    kb = _searched(args)[0]
    summary, _ = await index(knowledge, paths, kb)
    if summary.failed:  # index() has said why
        return None
    records = {
        record.path: record.doc_id
        for record in await knowledge.kbs.documents(kb, {DocumentStatus.READY})
    }
    return [records[str(path)] for path in paths if str(path) in records]


async def _ask(args: argparse.Namespace, services: Services) -> int:
    provider = services.ctx.settings.provider
    if args.provider:
        provider.mode = args.provider
    if args.provider == "cloud":
        # Naming the cloud on the command line is the person's consent for this one call
        # (in memory only, never saved). Knowledge bases marked never-to-cloud stay refused.
        provider.cloud_enabled = True
    if args.model:
        if args.provider == "cloud":
            provider.cloud_model = args.model
        else:
            provider.chat_model = args.model
    await services.refresh_cloud()
    knowledge = await services.knowledge()
    doc_ids = await _documents(args, knowledge) if args.document else None
    if args.document and doc_ids is None:
        return 1
    kbs = _searched(args)
    answer = _Answer(stream=not args.json, several=len(kbs) > 1)
    async for event in knowledge.chat.answer(
        args.question, kb=kbs, doc_ids=doc_ids, whole=doc_ids is not None
    ):
        answer.take(event)
    if args.json:
        print(answer.as_json())
    else:
        answer.print_tail()
    if answer.failure is not None:
        raise answer.failure.error
    return 0


# ---- kb -------------------------------------------------------------------------------------


def summary_json(summary: KnowledgeBaseSummary) -> dict[str, Any]:
    """A knowledge base as `kb list --json` and `status --json` print it."""
    return {
        "name": summary.record.name,
        "documents": summary.document_count,
        "by_status": {status.value: n for status, n in summary.status_counts.items() if n},
        "chunks": summary.chunk_count,
        "embedder": summary.record.embedder_id,
    }


async def _kb_command(args: argparse.Namespace, services: Services) -> int:
    knowledge = await services.knowledge()
    if args.kb_command == "list":
        summaries = await knowledge.kbs.summaries()
        if args.json:
            print(json.dumps([summary_json(s) for s in summaries], ensure_ascii=False))
            return 0
        if not summaries:
            print("No knowledge bases yet. Add files with: hearth ingest PATH", file=sys.stderr)
        for s in summaries:
            counts = ", ".join(f"{n} {status.value}" for status, n in s.status_counts.items() if n)
            print(
                f"{s.record.name}: {s.document_count} documents ({counts or 'empty'}), "
                f"{s.chunk_count} chunks, embedder {s.record.embedder_id}"
            )
        return 0
    if args.kb_command == "rename":
        # Imported here: parsing the command line loads no settings model (pydantic).
        from desktop.core.settings import rename_local_only

        record = await knowledge.kbs.rename(args.name, args.new_name)
        if rename_local_only(services.ctx.settings.privacy, args.name, record.name):
            services.ctx.save_settings()
        print(f"Renamed knowledge base {args.name!r} to {record.name!r}.", file=sys.stderr)
        return 0
    if args.kb_command == "remove":
        return await _remove(args, knowledge)
    view = IngestView()
    try:
        summary = await knowledge.kbs.reindex(args.name, on_event=view)
    finally:
        view.line.finish()
    print(f"Re-indexed {summary.ready} documents ({summary.failed} failed).", file=sys.stderr)
    view.report_failures()
    return 1 if summary.failed else 0


async def _remove(args: argparse.Namespace, knowledge: KnowledgeServices) -> int:
    # A wrong name, or another process changing the store, is said before anyone is asked.
    documents = await knowledge.kbs.documents(args.name)
    await knowledge.session.writable()
    chunks = sum(d.chunk_count for d in documents)
    counted = (
        f"{len(documents)} document{'' if len(documents) == 1 else 's'}, "
        f"{chunks} chunk{'' if chunks == 1 else 's'}"
    )
    if not await confirmed(
        f"Delete knowledge base {args.name!r} ({counted}) and its index?",
        refusal=f"Refusing to delete knowledge base {args.name!r} without confirmation.",
        yes=args.yes,
    ):
        return 1
    await knowledge.kbs.remove(args.name)
    print(f"Removed knowledge base {args.name!r}.", file=sys.stderr)
    return 0


COMMANDS: dict[str, Command] = {
    "ingest": _ingest,
    "search": _search,
    "ask": _ask,
    "kb": _kb_command,
}
