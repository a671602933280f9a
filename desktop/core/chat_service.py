"""Answering a question from the knowledge base, as a stream of events.

condense (follow-ups only) -> retrieve -> budget the prompt from the model's real context
-> stream the model's reply -> Done with the sources the answer cited. Errors become an
Error event carrying whatever text had arrived; a cancelled task stops the stream and
closes the connection. Without any model the sources still come out, then the reason.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from desktop.core.documents import Chunk, SearchHit
from desktop.core.errors import AppError
from desktop.core.events import (
    ChatEvent,
    Citation,
    Done,
    Error,
    Notice,
    PartRead,
    Retrieved,
    Thinking,
    Token,
)
from desktop.core.models import ChatMessage, ChatStats, ProviderKind
from desktop.core.ports import Retriever, Route
from desktop.core.privacy import Scrubber
from desktop.core.prompting import (
    MESSAGE_OVERHEAD,
    MIN_BUDGET,
    NOTES_QUESTION,
    Prompt,
    build_prompt,
    combine_messages,
    condense_messages,
    distinct,
    estimate,
    notes_messages,
    parse_citations,
    passages_as_notes,
)
from desktop.core.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = 8192
ResolveRoute = Callable[[Sequence[str]], Awaitable[Route]]


class ChatService:
    """Writes cited answers.

    Args:
        retriever: finds passages.
        resolve_route: picks the client and model for an answer from some knowledge bases
            (may raise AppError: no model reachable, or the cloud refused for a base).
        top_k: passages retrieved for a question.
        context_cap: the largest num_ctx sent (bigger contexts cost memory on local GPUs).
        answer_reserve: tokens kept free for the answer.
        outbound_filter: applied to every message bound for the cloud (privacy scrubber).
        mmr: diversify retrieved passages.
    """

    def __init__(
        self,
        retriever: Retriever,
        resolve_route: ResolveRoute,
        *,
        top_k: int = 8,
        context_cap: int = 32768,
        answer_reserve: int = 1024,
        outbound_filter: Callable[[str], str] | None = None,
        mmr: bool = False,
    ) -> None:
        self._retriever = retriever
        self._resolve_route = resolve_route
        self.top_k = top_k
        self._context_cap = context_cap
        self._answer_reserve = answer_reserve
        self.outbound_filter = outbound_filter
        self.mmr = mmr
        self._contexts: dict[tuple[str, str], int] = {}

    def use_settings(self, settings: Settings) -> None:
        """Take the retrieval and privacy settings as they are now: passages per question,
        diversity, and the scrubber for text bound for the cloud."""
        self.top_k = settings.retrieval.top_k
        self.mmr = settings.retrieval.use_mmr
        privacy = settings.privacy
        self.outbound_filter = (
            Scrubber(custom_patterns=privacy.custom_patterns).scrub
            if privacy.scrub_cloud_text
            else None
        )

    async def _context_length(self, route: Route) -> int:
        key = (route.client.base_url, route.model)
        if key not in self._contexts:
            try:
                details = await route.client.show(route.model)
                self._contexts[key] = details.context_length or DEFAULT_CONTEXT
            except AppError as exc:
                log.info("context length of %s unknown (%s)", route.model, exc.kind)
                return DEFAULT_CONTEXT
        return self._contexts[key]

    async def _condense(self, route: Route, question: str, history: Sequence[ChatMessage]) -> str:
        messages = self._outbound(route, condense_messages(question, history))
        try:
            reply = await route.client.chat(route.model, messages, options={"temperature": 0})
        except AppError as exc:
            log.info("follow-up not condensed (%s); searching with the question as asked", exc.kind)
            return question
        text = reply.content.strip().strip('"')
        return text if 0 < len(text) < 4 * len(question) + 400 else question

    def _outbound(self, route: Route, messages: list[ChatMessage]) -> list[ChatMessage]:
        if route.kind is not ProviderKind.CLOUD or self.outbound_filter is None:
            return messages
        scrub = self.outbound_filter
        return [ChatMessage(m.role, scrub(m.content)) for m in messages]

    async def _sources(
        self, query: str, kbs: Sequence[str], doc_ids: Collection[str] | None, budget: int
    ) -> tuple[list[SearchHit], bool]:
        """Whole selected documents when they fit the budget, else the top passages."""
        if doc_ids:
            kb = kbs[0]
            chunks = await self._retriever.document_chunks(kb, doc_ids)
            if chunks and sum(estimate(c.text) + 16 for c in chunks) <= budget:
                return [SearchHit(c, 1.0, n, kb=kb) for n, c in enumerate(chunks, start=1)], True
            hits = await self._retriever.search(
                query, kb, k=self.top_k, doc_ids=doc_ids, mmr=self.mmr
            )
            return hits, False
        hits = await self._retriever.search_across(query, kbs, k=self.top_k, mmr=self.mmr)
        return hits, False

    async def answer(
        self,
        question: str,
        history: Sequence[ChatMessage] = (),
        *,
        kb: str | Sequence[str],
        doc_ids: Collection[str] | None = None,
        whole: bool = False,
    ) -> AsyncIterator[ChatEvent]:
        """Stream the events of one answer (see the module docstring).

        `kb` names the knowledge base to search, or several: their passages are fused into
        one ranking, each citation naming its base. With `doc_ids` (documents of the first
        base), the answer is about those documents: all of their text goes in when it fits
        the model's context; when it does not, `whole` reads them part by part (see
        `_in_parts`: each document's notes, or its passages when it fits its share, then
        one answer over them; comparing documents is asking about several), else the best
        passages among them are searched."""
        kbs = [kb] if isinstance(kb, str) else list(dict.fromkeys(kb))
        if not kbs:
            raise ValueError("no knowledge base to search")
        route: Route | None = None
        problem: AppError | None = None
        try:
            route = await self._resolve_route(kbs)
        except AppError as exc:
            problem = exc
        query = question
        if history and route is not None:
            query = await self._condense(route, question, history)
        context = await self._context_length(route) if route is not None else DEFAULT_CONTEXT
        context = min(context, self._context_cap)
        budget = context - self._answer_reserve - 512
        if doc_ids and whole and route is not None:
            chunks = await self._retriever.document_chunks(kbs[0], doc_ids)
            if sum(estimate(c.text) + 16 for c in chunks) > budget:
                async for event in self._in_parts(route, question, kbs[0], chunks, context, budget):
                    yield event
                return
        try:
            hits, whole = await self._sources(query, kbs, doc_ids, budget)
        except AppError as exc:
            yield Error(exc)
            return
        if route is None:
            passages = distinct(hits)
            yield Retrieved([Citation(n, h) for n, h in enumerate(passages, start=1)], query)
            yield Error(problem or AppError("No model is available to write an answer."))
            return
        prompt = build_prompt(
            question, history, hits, context_length=context, answer_reserve=self._answer_reserve
        )
        yield Retrieved([Citation(n, h) for n, h in enumerate(prompt.sources, start=1)], query)
        if whole:
            yield Notice(f"The selected documents are included whole ({len(hits)} passages).")
        if prompt.omitted_sources:
            yield Notice(
                f"{prompt.omitted_sources} passages did not fit the model's "
                f"{context}-token context and were left out."
            )
        async for event in self._stream(route, prompt, context):
            yield event

    async def _in_parts(
        self,
        route: Route,
        question: str,
        kb: str,
        chunks: Sequence[Chunk],
        context: int,
        budget: int,
    ) -> AsyncIterator[ChatEvent]:
        """Documents longer than the context: notes from each part of a long document that
        fits (map), notes of notes while they are still too long (reduce), then one answer
        over every document's notes, a short document going in as its passages. Passage
        numbers run through all the documents, so the answer cites passages like any other."""
        hits = [SearchHit(c, 1.0, n, kb=kb) for n, c in enumerate(chunks, start=1)]
        yield Retrieved([Citation(n, h) for n, h in enumerate(hits, start=1)], question)
        yield Notice(
            f"The {'documents are' if len({c.doc_id for c in chunks}) > 1 else 'document is'} "
            f"longer than the model's {context}-token context: reading in parts."
        )
        reading = _WholeReading(
            route,
            question,
            context=context,
            budget=max(budget, MIN_BUDGET),
            answer_reserve=self._answer_reserve,
            outbound=self._outbound,
        )
        documents = reading.plan(hits)
        total = sum(len(d.parts) for d in documents)
        done = 0
        try:
            for document in documents:
                for first, part in document.parts:
                    done += 1
                    yield PartRead("reading", done, total)
                    note = await reading.notes_of(first, part)
                    if note:
                        document.notes.append(note)
            for document in documents:
                async for event in reading.condense(document):
                    yield event
        except AppError as exc:
            yield Error(exc)
            return
        messages = notes_messages([(d.name, d.text) for d in documents], question)
        tokens = sum(estimate(m.content) + MESSAGE_OVERHEAD for m in messages)
        async for event in self._stream(route, Prompt(messages, hits, 0, 0, tokens), context):
            yield event

    async def _stream(self, route: Route, prompt: Prompt, context: int) -> AsyncIterator[ChatEvent]:
        num_ctx = max(context, prompt.tokens + self._answer_reserve)
        text: list[str] = []
        stats = ChatStats()
        try:
            async for delta in route.client.chat_stream(
                route.model, self._outbound(route, prompt.messages), options={"num_ctx": num_ctx}
            ):
                if delta.thinking:
                    yield Thinking(delta.thinking)
                if delta.content:
                    text.append(delta.content)
                    yield Token(delta.content)
                if delta.stats is not None:
                    stats = delta.stats
        except AppError as exc:
            yield Error(exc, "".join(text))
            return
        answer = "".join(text)
        yield Done(
            model=route.model,
            provider=route.kind,
            stats=stats,
            used_citations=parse_citations(answer, len(prompt.sources)),
            omitted_sources=prompt.omitted_sources,
        )


def _parts(
    hits: Sequence[SearchHit], budget: int, first: int = 1
) -> list[tuple[int, list[SearchHit]]]:
    """Consecutive passages grouped so that each group fits `budget` tokens, with the
    number of the group's first passage (the first of `hits` being number `first`)."""
    parts: list[tuple[int, list[SearchHit]]] = []
    used = 0
    for number, hit in enumerate(hits, start=first):
        cost = estimate(hit.chunk.text) + 48  # the passage's quoting and header
        if not parts or used + cost > budget:
            parts.append((number, []))
            used = 0
        parts[-1][1].append(hit)
        used += cost
    return parts


def _groups(notes: Sequence[str], budget: int) -> list[list[str]]:
    """Consecutive notes grouped so that each group fits `budget` tokens."""
    groups: list[list[str]] = []
    used = 0
    for note in notes:
        cost = estimate(note) + 16
        if not groups or used + cost > budget:
            groups.append([])
            used = 0
        groups[-1].append(note)
        used += cost
    return groups


@dataclass(slots=True)
class _Document:
    """One document of a whole-document answer: its passages (numbered from `first`), the
    parts it is read in (none when it fits its share of the answer) and the notes so far."""

    name: str
    first: int
    hits: list[SearchHit]
    parts: list[tuple[int, list[SearchHit]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """What the answer reads of this document: its notes, or its passages."""
        if self.parts:
            return "\n\n".join(self.notes) or "(nothing in this document bears on the question)"
        return passages_as_notes(self.hits, self.first)


class _WholeReading:
    """The calls of one whole-document answer that does not fit the context at once.

    Each document gets an equal share of the final answer's room. A note is capped (through
    `num_predict`) at a third of what one combining call can hold, so that every combining
    call takes at least two notes and each round leaves fewer notes than it found."""

    def __init__(
        self,
        route: Route,
        question: str,
        *,
        context: int,
        budget: int,
        answer_reserve: int,
        outbound: Callable[[Route, list[ChatMessage]], list[ChatMessage]],
    ) -> None:
        self._route = route
        self._answer_reserve = answer_reserve
        self._outbound = outbound
        self._question = question
        self._context = context
        self._budget = budget
        self._combine_room = max(
            MIN_BUDGET // 2,
            budget - estimate(combine_messages([], question, "")[0].content) - estimate(question),
        )
        self._note_limit = min(answer_reserve, self._combine_room // 3)

    def plan(self, hits: Sequence[SearchHit]) -> list[_Document]:
        """The documents in order, each with the parts it is read in."""
        documents: list[_Document] = []
        for number, hit in enumerate(hits, start=1):
            if not documents or documents[-1].hits[0].chunk.doc_id != hit.chunk.doc_id:
                documents.append(_Document(PurePath(hit.chunk.source).name, number, []))
            documents[-1].hits.append(hit)
        fixed = estimate(notes_messages([], self._question)[0].content) + estimate(self._question)
        self.share = max(MIN_BUDGET // 2, (self._budget - fixed) // len(documents))
        reading = self._budget - estimate(NOTES_QUESTION) - estimate(self._question)
        for document in documents:
            if estimate(document.text) > self.share:
                document.parts = _parts(document.hits, reading, document.first)
        return documents

    async def _call(self, messages: list[ChatMessage]) -> str:
        route = self._route
        tokens = sum(estimate(m.content) + MESSAGE_OVERHEAD for m in messages)
        options = {
            "num_ctx": max(self._context, tokens + self._answer_reserve),
            "num_predict": self._note_limit,
        }
        reply = await route.client.chat(
            route.model, self._outbound(route, messages), options=options
        )
        return reply.content.strip()

    async def notes_of(self, first: int, part: list[SearchHit]) -> str:
        """Notes for the question from one part ("" when nothing in it bears on it)."""
        ask = NOTES_QUESTION.format(question=self._question, first=first)
        prompt = build_prompt(
            ask,
            (),
            part,
            context_length=self._context,
            answer_reserve=self._answer_reserve,
            first_number=first,
        )
        text = await self._call(prompt.messages)
        return "" if text.upper().strip(". ") == "NONE" else text

    async def condense(self, document: _Document) -> AsyncIterator[ChatEvent]:
        """Combine a document's notes, round after round, until they fit its share; notes
        that still do not fit (a model that ignores the length asked for) are cut."""
        while len(document.notes) > 1 and estimate(document.text) > self.share:
            groups = _groups(document.notes, self._combine_room)
            if len(groups) == len(document.notes):
                break
            combined: list[str] = []
            for index, group in enumerate(groups, start=1):
                yield PartRead("combining", index, len(groups))
                if len(group) == 1:
                    combined.extend(group)
                    continue
                messages = combine_messages(group, self._question, document.name)
                combined.append(await self._call(messages))
            document.notes = [note for note in combined if note]
        text = document.text
        if estimate(text) > self.share:
            keep = len(text) * self.share // estimate(text)
            document.notes = [text[:keep]]
            yield Notice(f"The notes from {document.name} were cut to fit the model's context.")
