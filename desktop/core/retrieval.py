"""Hybrid retrieval: dense vectors and keyword (BM25) search, fused by weighted reciprocal
rank, optionally re-ranked for diversity; several knowledge bases searched at once have
their rankings fused by reciprocal rank.

Only documents that are `ready` are searched: while a document is being indexed, replaced
or removed its chunks may already (or still) be in an index, and they are filtered out.
Blocking index and registry calls run in the store session's executor.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Collection, Sequence

from desktop.core.documents import Chunk, SearchHit
from desktop.core.fusion import weighted_rrf
from desktop.core.ports import Diversifier, EmbedderLookup, FusionWeights, RankFusion
from desktop.core.store_session import StoreSession

log = logging.getLogger(__name__)

# Dense hits whose language decides the fusion weights.
_PEEK = 5


class HybridRetriever:
    """Finds the passages of a knowledge base that best answer a query.

    Args:
        session: the store session (which documents are searchable, the indexes).
        embedders: the embedders available, by id (a knowledge base's own embedder embeds
            the query, so a knowledge base being re-embedded keeps answering).
        fuse: score fusion (`desktop.core.fusion.fuse_scores`).
        weights: chooses the (dense, keyword) weights per query
            (`desktop.core.fusion.hybrid_weights`).
        diversify: maximal-marginal-relevance re-ranking, used when a search asks for it.
        candidates: how many hits each index returns before fusion.
    """

    def __init__(
        self,
        session: StoreSession,
        embedders: EmbedderLookup,
        fuse: RankFusion,
        *,
        weights: FusionWeights,
        diversify: Diversifier | None = None,
        candidates: int = 50,
    ) -> None:
        self._session = session
        self._registry = session.registry
        self._run = session.run
        self._embedders = embedders
        self._fuse = fuse
        self._weights = weights
        self._diversify = diversify
        self._candidates = candidates

    async def search(
        self,
        query: str,
        kb: str,
        *,
        k: int = 8,
        doc_ids: Collection[str] | None = None,
        mmr: bool = False,
    ) -> list[SearchHit]:
        """Return up to `k` hits, best first (rank 1 is the best).

        Args:
            query: the text to search for.
            kb: the knowledge base's name.
            k: how many hits to return.
            doc_ids: search only these documents (None: all ready documents).
            mmr: prefer diverse passages over near-duplicates (needs `diversify`).

        Raises:
            KnowledgeBaseNotFound: no knowledge base has that name.
            EmbedderMismatch: the knowledge base's embedder is not available.
            StoreError: an index or the registry failed.
        """
        if not query.strip() or k <= 0:
            return []
        record = await self._run(self._registry.get_kb, kb)
        embedder = self._embedders.for_id(record.embedder_id)
        vectors = await self._session.vectors(record)
        lexical = await self._session.lexical(record)
        allowed = await self._run(self._searchable, kb, doc_ids)
        if allowed is not None and not allowed:
            return []
        n = max(self._candidates, k)
        query_vector, lexical_hits = await asyncio.gather(
            embedder.embed_query(query), self._run(lexical.search, query, n, allowed)
        )
        dense_hits = await self._run(vectors.search, query_vector, n, allowed)
        leading = await self._run(vectors.get, [cid for cid, _ in dense_hits[:_PEEK]])
        weights = self._weights(query, [c.text for c in leading])
        fused = self._fuse([dense_hits, lexical_hits], weights)
        if mmr and self._diversify is not None and fused:
            pool = fused[:n]
            pool_vectors = await self._run(vectors.embeddings, [cid for cid, _ in pool])
            fused = self._diversify(query_vector, pool, pool_vectors, k)
        top = fused[:k]
        chunks = {c.chunk_id: c for c in await self._run(vectors.get, [cid for cid, _ in top])}
        found = [(cid, score) for cid, score in top if cid in chunks]
        if len(found) < len(top):
            # A keyword hit the vector store does not hold: the indexes disagree until the
            # next start's recovery; the hit cannot be shown without its text.
            log.info("%d hits without a stored chunk in %s", len(top) - len(found), kb)
        dense = dict(dense_hits)
        keyword = dict(lexical_hits)
        return [
            SearchHit(chunks[cid], score, rank, dense.get(cid), keyword.get(cid), kb=kb)
            for rank, (cid, score) in enumerate(found, start=1)
        ]

    async def search_across(
        self, query: str, kbs: Sequence[str], *, k: int = 8, mmr: bool = False
    ) -> list[SearchHit]:
        """Return up to `k` hits from several knowledge bases, best first.

        Each base is searched as `search` does; their rankings are fused by reciprocal
        rank, because scores from different indexes (and embedders) cannot be compared.
        Each hit names its base (`SearchHit.kb`). Raises as `search` does for any base.
        """
        names = list(dict.fromkeys(kbs))
        if len(names) == 1:
            return await self.search(query, names[0], k=k, mmr=mmr)
        rankings = [await self.search(query, kb, k=k, mmr=mmr) for kb in names]
        hits = {f"{h.kb}\0{h.chunk.chunk_id}": h for ranking in rankings for h in ranking}
        keyed = [[(f"{h.kb}\0{h.chunk.chunk_id}", h.score) for h in r] for r in rankings]
        fused = weighted_rrf(keyed, [1.0] * len(keyed))[:k]
        return [
            dataclasses.replace(hits[key], score=score, rank=rank)
            for rank, (key, score) in enumerate(fused, start=1)
        ]

    async def document_chunks(self, kb: str, doc_ids: Collection[str]) -> list[Chunk]:
        """Every chunk of the given (ready) documents, document by document, in order."""
        record = await self._run(self._registry.get_kb, kb)
        vectors = await self._session.vectors(record)
        allowed = await self._run(self._searchable, kb, doc_ids)
        chunks: list[Chunk] = []
        for doc_id in doc_ids:
            if allowed is None or doc_id in allowed:
                chunks.extend(await self._run(vectors.document_chunks, doc_id))
        return chunks

    def _searchable(self, kb: str, doc_ids: Collection[str] | None) -> set[str] | None:
        """The documents a search may return (None: every document in the indexes)."""
        hidden = self._registry.hidden_doc_ids(kb)
        if doc_ids is not None:
            return set(doc_ids) - hidden
        if not hidden:
            return None
        return self._registry.ready_doc_ids(kb)
