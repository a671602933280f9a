"""Answering a question from the knowledge base, as a stream of events.

condense (follow-ups only) -> retrieve -> budget the prompt from the model's real context
-> stream the model's reply -> Done with the sources the answer cited. Errors become an
Error event carrying whatever text had arrived; a cancelled task stops the stream and
closes the connection. Without any model the sources still come out, then the reason.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence

from desktop.core.documents import Chunk, SearchHit
from desktop.core.errors import AppError
from desktop.core.events import (
    ChatEvent,
    Citation,
    Done,
    Error,
    Notice,
    Retrieved,
    Thinking,
    Token,
)
from desktop.core.models import ChatMessage, ChatStats, ProviderKind
from desktop.core.ports import Retriever, Route
from desktop.core.prompting import (
    NOTES_QUESTION,
    Prompt,
    build_prompt,
    condense_messages,
    distinct,
    estimate,
    notes_messages,
    parse_citations,
)

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
        base), the answer is about those documents: all of their text goes in when it
        fits the model's context; when it does not, `whole` reads them part by part (notes
        from each, then one answer over the notes), else the best passages among them are
        searched."""
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
        """A document longer than the context: notes from each part that fits (map), then
        one answer over the notes (reduce). Passage numbers run through the whole
        document, so the final answer cites passages like any other."""
        hits = [SearchHit(c, 1.0, n, kb=kb) for n, c in enumerate(chunks, start=1)]
        yield Retrieved([Citation(n, h) for n, h in enumerate(hits, start=1)], question)
        parts = _parts(hits, budget - estimate(NOTES_QUESTION) - estimate(question))
        notes: list[str] = []
        for index, (first, part) in enumerate(parts, start=1):
            yield Notice(
                f"Reading part {index} of {len(parts)} (the document is longer than the "
                f"model's {context}-token context)."
            )
            ask = NOTES_QUESTION.format(question=question, first=first)
            prompt = build_prompt(
                ask,
                (),
                part,
                context_length=context,
                answer_reserve=self._answer_reserve,
                first_number=first,
            )
            try:
                reply = await route.client.chat(
                    route.model,
                    self._outbound(route, prompt.messages),
                    options={"num_ctx": max(context, prompt.tokens + self._answer_reserve)},
                )
            except AppError as exc:
                yield Error(exc)
                return
            text = reply.content.strip()
            if text and text.upper().strip(".") != "NONE":
                notes.append(text)
        prompt = Prompt(notes_messages(notes, question), hits, 0, 0, 0)
        async for event in self._stream(route, prompt, context):
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


def _parts(hits: Sequence[SearchHit], budget: int) -> list[tuple[int, list[SearchHit]]]:
    """Consecutive passages grouped so that each group fits `budget` tokens, with the
    number of the group's first passage."""
    parts: list[tuple[int, list[SearchHit]]] = []
    used = 0
    for number, hit in enumerate(hits, start=1):
        cost = estimate(hit.chunk.text) + 48  # the passage's quoting and header
        if not parts or used + cost > budget:
            parts.append((number, []))
            used = 0
        parts[-1][1].append(hit)
        used += cost
    return parts
