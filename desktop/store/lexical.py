"""The keyword side of hybrid search: BM25 over language-aware terms, in SQLite FTS5.

Text is analysed before FTS5 sees it: Latin words are lower-cased, stripped of English
stop words and Snowball-stemmed ("running" -> "run"); Cyrillic words get the Russian
stemmer and stop words ("книгами", "книга" -> "книг"); Chinese, Japanese and Korean runs,
which have no spaces, become overlapping character bigrams (a lone character stays a
unigram); codes such as "ERR-4012" or "v1.2.3" are also kept whole so exact codes match.
FTS5 then scores with BM25 (k1 1.2, b 0.75). SQLite gives transactions for free: writes
become visible at `commit()`, and a crash leaves the last committed state.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from importlib import resources
from pathlib import Path

import Stemmer

from desktop.core.documents import Chunk
from desktop.core.text import CJK_RUN, CYRILLIC_CHAR
from desktop.store.sqlite import SqliteFile

_RUN = re.compile(r"\w+(?:[-._]\w+)*", re.UNICODE)
_PART = re.compile(r"[^\W_]+", re.UNICODE)


def _stop_words(language: str) -> frozenset[str]:
    """A stop-word list shipped in `desktop/store/stopwords/` (from stopwords-iso)."""
    text = resources.files("desktop.store").joinpath(f"stopwords/{language}.txt")
    return frozenset(w for w in text.read_text(encoding="utf-8").split() if w)


ENGLISH_STOP = _stop_words("en")
RUSSIAN_STOP = _stop_words("ru")


class Analyzer:
    """Turns text into index terms (thread-safe: one stemmer pair per thread)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _stemmers(self) -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
        pair = getattr(self._local, "pair", None)
        if pair is None:
            pair = (Stemmer.Stemmer("english"), Stemmer.Stemmer("russian"))
            self._local.pair = pair
        return pair

    def terms(self, text: str) -> list[str]:
        english, russian = self._stemmers()
        out: list[str] = []
        for match in _RUN.finditer(text.lower()):
            run = match.group(0)
            if CJK_RUN.search(run):
                self._cjk(run, out, english, russian)
                continue
            parts = _PART.findall(run)
            if len(parts) > 1 and any(c.isdigit() for c in run):
                out.append(run)  # a code: keep it whole as well as in parts
            for part in parts:
                self._word(part, out, english, russian)
        return out

    @staticmethod
    def _word(
        word: str, out: list[str], english: Stemmer.Stemmer, russian: Stemmer.Stemmer
    ) -> None:
        if CYRILLIC_CHAR.search(word):
            if word not in RUSSIAN_STOP:
                out.append(russian.stemWord(word))
        elif word not in ENGLISH_STOP:
            out.append(english.stemWord(word) if word.isalpha() else word)

    def _cjk(
        self, run: str, out: list[str], english: Stemmer.Stemmer, russian: Stemmer.Stemmer
    ) -> None:
        position = 0
        for segment in CJK_RUN.finditer(run):
            for part in _PART.findall(run[position : segment.start()]):
                self._word(part, out, english, russian)
            chars = segment.group(0)
            if len(chars) == 1:
                out.append(chars)
            else:
                out.extend(chars[i : i + 2] for i in range(len(chars) - 1))
            position = segment.end()
        for part in _PART.findall(run[position:]):
            self._word(part, out, english, russian)


_ANALYZER = Analyzer()
_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS chunks USING fts5(
    chunk_id UNINDEXED, doc_id UNINDEXED, terms,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '-._'"
);
"""
_VOCAB = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, chunks, 'row')"
# In a big index, a term found in many chunks makes FTS5 score its whole (long) posting
# list. There, candidates come from the informative terms only (those in at most
# COMMON_SHARE of the chunks, or the KEEP_RAREST rarest), and the candidates are then
# ranked by BM25 over every query term (docs/retrieval.md has the measurements).
COMMON_SHARE = 0.05
PRUNE_FROM = 20_000  # chunks: smaller indexes are fast enough with every term
KEEP_RAREST = 3
CANDIDATES = 300
K1, B = 1.2, 0.75  # FTS5's bm25() constants


class BM25Index:
    """Implements `desktop.core.ports.LexicalIndex` for one knowledge base, in
    `directory/lexical.db`. Blocking: call from an executor."""

    def __init__(self, directory: Path, analyzer: Analyzer = _ANALYZER) -> None:
        self._analyzer = analyzer
        self._path = directory / "lexical.db"
        self._file = SqliteFile(
            self._path,
            "the keyword index",
            "Re-index the knowledge base; if the disk is full, free some space.",
        )
        self._lock = threading.RLock()
        # Two connections: writes stay in one open transaction until `commit`, while
        # searches read the last committed state.
        self._write = self._connect()
        self._read = self._connect()
        with self._file.errors("open"):
            self._write.executescript(_SCHEMA)
            self._read.execute(_VOCAB)
            self._count = int(self._read.execute("SELECT count(*) FROM chunks").fetchone()[0])
        self._pending = 0  # rows added minus rows removed since the last commit
        self._avgdl: float | None = None

    def _connect(self) -> sqlite3.Connection:
        conn = self._file.connect()
        conn.row_factory = None  # plain tuples: scoring reads many rows
        return conn

    def _begin(self) -> None:
        if not self._write.in_transaction:
            self._write.execute("BEGIN")

    def add(self, chunks: Sequence[Chunk]) -> None:
        rows = [
            (c.chunk_id, c.doc_id, " ".join(self._analyzer.terms(_indexed_text(c)))) for c in chunks
        ]
        with self._lock, self._errors("write"):
            self._begin()
            self._write.executemany("INSERT INTO chunks VALUES (?, ?, ?)", rows)
            self._pending += len(rows)

    def remove_documents(self, doc_ids: Collection[str]) -> None:
        with self._lock, self._errors("write"):
            self._begin()
            cursor = self._write.execute(
                "DELETE FROM chunks WHERE doc_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(doc_ids)),),
            )
            self._pending -= max(0, cursor.rowcount)

    def commit(self) -> None:
        with self._lock, self._errors("write"):
            if self._write.in_transaction:
                self._write.execute("COMMIT")
                self._count = max(0, self._count + self._pending)
                self._avgdl = None
            self._pending = 0

    def search(
        self, query: str, k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        terms = list(dict.fromkeys(self._analyzer.terms(query)))
        if not terms or k <= 0:
            return []
        with self._lock, self._errors("search"):
            if self._count < PRUNE_FROM or len(terms) <= KEEP_RAREST:
                rows = self._match(terms, k, doc_ids)
                # FTS5's bm25() is negative (lower is better); flip it so higher is better.
                return [(chunk_id, -score) for _, chunk_id, score in rows]
            df = self._document_frequencies(terms)
            candidates = self._match(self._informative(terms, df), max(k, CANDIDATES), doc_ids)
            return self._rescore(terms, df, [rowid for rowid, _, _ in candidates])[:k]

    def _match(
        self, terms: list[str], limit: int, doc_ids: Collection[str] | None
    ) -> list[tuple[int, str, float]]:
        match = " OR ".join(f'"{t}"' for t in terms)
        sql = "SELECT rowid, chunk_id, bm25(chunks) AS s FROM chunks WHERE chunks MATCH ?"
        params: list[object] = [match]
        if doc_ids is not None:
            sql += " AND doc_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(doc_ids)))
        sql += " ORDER BY s LIMIT ?"
        params.append(limit)
        return [(int(r), str(c), float(s)) for r, c, s in self._read.execute(sql, params)]

    def _document_frequencies(self, terms: list[str]) -> dict[str, int]:
        marks = ",".join("?" * len(terms))
        sql = f"SELECT term, doc FROM temp.vocab WHERE term IN ({marks})"  # noqa: S608 - placeholders only
        return {str(t): int(n) for t, n in self._read.execute(sql, terms)}

    def _informative(self, terms: list[str], df: dict[str, int]) -> list[str]:
        limit = COMMON_SHARE * self._count
        kept = [t for t in terms if df.get(t, 0) <= limit]
        if len(kept) >= KEEP_RAREST:
            return kept
        return sorted(terms, key=lambda t: df.get(t, 0))[:KEEP_RAREST]

    def _rescore(
        self, terms: list[str], df: dict[str, int], rowids: list[int]
    ) -> list[tuple[str, float]]:
        """BM25 over every query term, for the candidate rows only."""
        if not rowids:
            return []
        n = max(1, self._count)
        idf = {
            t: max(1e-6, math.log((n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5))) for t in terms
        }
        marks = ",".join("?" * len(rowids))
        sql = f"SELECT chunk_id, terms FROM chunks WHERE rowid IN ({marks})"  # noqa: S608 - placeholders only
        avgdl = self._average_length()
        scored = []
        for chunk_id, text in self._read.execute(sql, rowids):
            words = text.split()
            counts = Counter(words)
            norm = K1 * (1 - B + B * len(words) / avgdl)
            score = sum(
                idf[t] * counts[t] * (K1 + 1) / (counts[t] + norm) for t in terms if t in counts
            )
            scored.append((str(chunk_id), score))
        scored.sort(key=lambda item: -item[1])
        return scored

    def _average_length(self) -> float:
        if self._avgdl is None:
            row = self._read.execute(
                "SELECT avg(length(terms) - length(replace(terms, ' ', '')) + 1) "
                "FROM (SELECT terms FROM chunks LIMIT 5000)"
            ).fetchone()
            self._avgdl = float(row[0] or 1.0)
        return self._avgdl

    def chunk_ids(self) -> set[str]:
        with self._lock, self._errors("read"):
            return {row[0] for row in self._read.execute("SELECT chunk_id FROM chunks")}

    def close(self) -> None:
        with self._lock:
            self._write.close()
            self._read.close()

    def _errors(self, what: str) -> contextlib.AbstractContextManager[None]:
        return self._file.errors(what)


def _indexed_text(chunk: Chunk) -> str:
    # Headings are part of what a passage is about: index them with its text.
    heading = " ".join(chunk.heading_path) if chunk.heading_path else ""
    return f"{heading}\n{chunk.text}" if heading else chunk.text


def iter_terms(text: str) -> Iterator[str]:
    """The terms the index uses for `text` (for tests and diagnostics)."""
    yield from _ANALYZER.terms(text)
