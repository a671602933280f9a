"""The keyword side of hybrid search: BM25 over language-aware terms, in SQLite.

Text is analysed before it is indexed: Latin words are lower-cased, stripped of English
stop words and Snowball-stemmed ("running" -> "run"); Cyrillic words get the Russian
stemmer and stop words ("книгами", "книга" -> "книг"); Chinese, Japanese and Korean runs,
which have no spaces, become overlapping character bigrams (a lone character stays a
unigram); codes such as "ERR-4012" or "v1.2.3" are also kept whole so exact codes match.
The index scores with BM25 (k1 1.2, b 0.75). SQLite gives transactions for free: writes
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
from typing import TypeVar

import numpy as np
import Stemmer

from desktop.core.documents import Chunk
from desktop.core.text import CJK_RUN, CYRILLIC_CHAR
from desktop.store.sqlite import SqliteFile

_RUN = re.compile(r"\w+(?:[-._]\w+)*", re.UNICODE)
_PART = re.compile(r"[^\W_]+", re.UNICODE)
T = TypeVar("T")


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
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL, segment INTEGER NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (term, segment)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_counts (
    term TEXT PRIMARY KEY, passages INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS totals (
    one INTEGER PRIMARY KEY CHECK (one = 1), passages INTEGER NOT NULL, terms INTEGER NOT NULL
);
INSERT OR IGNORE INTO totals VALUES (1, 0, 0);
CREATE TABLE IF NOT EXISTS removed (id INTEGER PRIMARY KEY);
"""
K1, B = 1.2, 0.75  # BM25 constants (SQLite FTS5's, which this index replaced)
# A term's postings are a few segments, each a packed array of (passage id, term count,
# passage length); a new segment is merged into the ones before it while they are not
# more than MERGE_RATIO times its size, so a term has O(log n) segments.
MERGE_RATIO = 2
# Removed passages leave their postings behind (skipped at search time, dropped when a
# segment is merged); when they pass this share of the index, every term is rewritten.
COMPACT_SHARE = 0.2
COMPACT_FROM = 1000
# A search within at most this many documents looks their passages up first.
FEW_DOCUMENTS = 1000
_SLICE = 500  # SQL variables per statement
_COUNT_MAX = 0xFFFF  # term counts and lengths are stored as 16-bit numbers


def _pack(ids: np.ndarray, counts: np.ndarray, lengths: np.ndarray) -> bytes:
    packed: bytes = (
        ids.astype("<i4").tobytes()
        + np.minimum(counts, _COUNT_MAX).astype("<u2").tobytes()
        + np.minimum(lengths, _COUNT_MAX).astype("<u2").tobytes()
    )
    return packed


def _unpack(data: bytes, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ids = np.frombuffer(data, "<i4", size)
    counts = np.frombuffer(data, "<u2", size, 4 * size)
    lengths = np.frombuffer(data, "<u2", size, 6 * size)
    return ids, counts, lengths


class BM25Index:
    """Implements `desktop.core.ports.LexicalIndex` for one knowledge base, in
    `directory/lexical.db`. Blocking: call from an executor.

    An inverted index kept in SQLite: per term, packed postings; per term, how many
    passages hold it; the passages' analysed terms (to undo a removal's counts). A search
    reads the postings of its terms only and scores every passage that holds one of them
    with BM25 in numpy, so its cost follows the postings read, not the index's size in
    rows. Writes stay in one open transaction until `commit`.
    """

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
            self._upgrade()

    def _connect(self) -> sqlite3.Connection:
        conn = self._file.connect()
        conn.row_factory = None  # plain tuples: scoring reads many rows
        return conn

    def _begin(self) -> None:
        if not self._write.in_transaction:
            self._write.execute("BEGIN")

    def _upgrade(self) -> None:
        """Move the passages of an index written by an earlier Hearth (an FTS5 table of
        analysed terms) into this layout, in one transaction."""
        old = self._write.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chunks'"
        ).fetchone()
        if old is None:
            return
        self._begin()
        rows = self._write.execute("SELECT chunk_id, doc_id, terms FROM chunks").fetchall()
        self._insert([(str(c), str(d), str(t).split()) for c, d, t in rows])
        self._write.execute("DROP TABLE chunks")
        self._write.execute("COMMIT")
        self._write.execute("VACUUM")  # hand the old table's pages back to the disk

    def add(self, chunks: Sequence[Chunk]) -> None:
        rows = [(c.chunk_id, c.doc_id, self._analyzer.terms(_indexed_text(c))) for c in chunks]
        with self._lock, self._errors("write"):
            self._begin()
            self._insert(rows)

    def _insert(self, rows: Sequence[tuple[str, str, list[str]]]) -> None:
        if not rows:
            return
        db = self._write
        last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'passages'").fetchone()
        first = (int(last[0]) if last else 0) + 1
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?)",
            [(first + n, cid, did, " ".join(terms)) for n, (cid, did, terms) in enumerate(rows)],
        )
        postings: dict[str, tuple[list[int], list[int], list[int]]] = {}
        length_total = 0
        for n, (_, _, terms) in enumerate(rows):
            length_total += len(terms)
            for term, count in Counter(terms).items():
                ids, counts, lengths = postings.setdefault(term, ([], [], []))
                ids.append(first + n)
                counts.append(count)
                lengths.append(len(terms))
        db.executemany(
            "INSERT INTO term_counts VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET passages = passages + excluded.passages",
            [(term, len(p[0])) for term, p in postings.items()],
        )
        db.execute(
            "UPDATE totals SET passages = passages + ?, terms = terms + ?",
            (len(rows), length_total),
        )
        removed = self._removed_ids()
        for term, (ids, counts, lengths) in postings.items():
            self._append(term, np.array(ids), np.array(counts), np.array(lengths), removed)

    def _append(
        self,
        term: str,
        ids: np.ndarray,
        counts: np.ndarray,
        lengths: np.ndarray,
        removed: np.ndarray,
    ) -> None:
        """Add a segment of postings to a term, merging the trailing segments it is not
        much smaller than."""
        db = self._write
        segments = db.execute(
            "SELECT segment, size FROM postings WHERE term = ? ORDER BY segment", (term,)
        ).fetchall()
        size = len(ids)
        merge_from = len(segments)
        while merge_from > 0 and segments[merge_from - 1][1] <= MERGE_RATIO * size:
            merge_from -= 1
            size += int(segments[merge_from][1])
        merged = segments[merge_from:]
        segment = int(merged[0][0]) if merged else (int(segments[-1][0]) + 1 if segments else 0)
        if merged:
            parts = [
                _unpack(data, int(n))
                for data, n in db.execute(
                    "SELECT data, size FROM postings WHERE term = ? AND segment >= ? "
                    "ORDER BY segment",
                    (term, segment),
                )
            ]
            parts.append((ids, counts, lengths))
            ids, counts, lengths = (np.concatenate(column) for column in zip(*parts, strict=True))
            if len(removed):
                live = ~np.isin(ids, removed)
                ids, counts, lengths = ids[live], counts[live], lengths[live]
            db.execute("DELETE FROM postings WHERE term = ? AND segment >= ?", (term, segment))
        if len(ids):
            db.execute(
                "INSERT INTO postings VALUES (?, ?, ?, ?)",
                (term, segment, len(ids), _pack(ids, counts, lengths)),
            )

    def _removed_ids(self) -> np.ndarray:
        return np.array(
            [row[0] for row in self._write.execute("SELECT id FROM removed")], dtype=np.int64
        )

    def remove_documents(self, doc_ids: Collection[str]) -> None:
        with self._lock, self._errors("write"):
            self._begin()
            db = self._write
            gone = db.execute(
                "SELECT id, terms FROM passages WHERE doc_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(doc_ids)),),
            ).fetchall()
            if not gone:
                return
            held: Counter[str] = Counter()
            length_total = 0
            for _, terms in gone:
                words = str(terms).split()
                length_total += len(words)
                held.update(set(words))
            db.executemany(
                "UPDATE term_counts SET passages = passages - ? WHERE term = ?",
                [(n, term) for term, n in held.items()],
            )
            for dead in _slices([t for t, n in self._counts(db, list(held)) if n <= 0]):
                marks = ",".join("?" * len(dead))
                db.execute(f"DELETE FROM postings WHERE term IN ({marks})", dead)  # noqa: S608 - placeholders only
                db.execute(f"DELETE FROM term_counts WHERE term IN ({marks})", dead)  # noqa: S608 - placeholders only
            db.execute(
                "UPDATE totals SET passages = passages - ?, terms = terms - ?",
                (len(gone), length_total),
            )
            ids = [(int(row[0]),) for row in gone]
            db.executemany("DELETE FROM passages WHERE id = ?", ids)
            db.executemany("INSERT INTO removed VALUES (?)", ids)

    def commit(self) -> None:
        with self._lock, self._errors("write"):
            if self._write.in_transaction:
                self._compact_if_due()
                self._write.execute("COMMIT")

    def _compact_if_due(self) -> None:
        """Rewrite every term's postings without removed passages, once these are many."""
        db = self._write
        (removed,) = db.execute("SELECT count(*) FROM removed").fetchone()
        (passages,) = db.execute("SELECT passages FROM totals").fetchone()
        if removed < max(COMPACT_FROM, COMPACT_SHARE * passages):
            return
        ids_removed = self._removed_ids()
        terms = [row[0] for row in db.execute("SELECT term FROM term_counts")]
        for term in terms:
            parts = [
                _unpack(data, int(n))
                for data, n in db.execute(
                    "SELECT data, size FROM postings WHERE term = ?", (term,)
                ).fetchall()
            ]
            ids, counts, lengths = (np.concatenate(column) for column in zip(*parts, strict=True))
            live = ~np.isin(ids, ids_removed)
            db.execute("DELETE FROM postings WHERE term = ?", (term,))
            db.execute(
                "INSERT INTO postings VALUES (?, 0, ?, ?)",
                (term, int(live.sum()), _pack(ids[live], counts[live], lengths[live])),
            )
        db.execute("DELETE FROM removed")

    def search(
        self, query: str, k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        terms = list(dict.fromkeys(self._analyzer.terms(query)))
        if not terms or k <= 0 or (doc_ids is not None and not doc_ids):
            return []
        with self._lock, self._errors("search"):
            db = self._read
            db.execute("BEGIN")  # one snapshot for every read below
            try:
                scores = self._scores(db, terms)
                if scores is None:
                    return []
                allowed = None
                if doc_ids is not None and len(doc_ids) <= FEW_DOCUMENTS:
                    keep = np.zeros(len(scores), dtype=bool)
                    keep[self._passage_ids(db, doc_ids)] = True
                    scores[~keep] = 0.0
                elif doc_ids is not None:
                    allowed = set(doc_ids)
                return self._best(db, scores, k, allowed)
            finally:
                db.execute("COMMIT")

    def _scores(self, db: sqlite3.Connection, terms: list[str]) -> np.ndarray | None:
        """BM25 of every passage (by id), or None when no passage holds a query term."""
        passages, total = db.execute("SELECT passages, terms FROM totals").fetchone()
        held = dict(self._counts(db, terms))
        if not passages or not held:
            return None
        (last,) = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'passages'").fetchone()
        average = max(total / passages, 1e-9)
        scores = np.zeros(int(last) + 1, dtype=np.float64)
        marks = ",".join("?" * len(held))
        sql = f"SELECT term, data, size FROM postings WHERE term IN ({marks})"  # noqa: S608 - placeholders only
        for term, data, size in db.execute(sql, list(held)):
            n = held[term]
            idf = max(1e-6, math.log((passages - n + 0.5) / (n + 0.5)))
            ids, counts, lengths = _unpack(data, int(size))
            tf = counts.astype(np.float64)
            norm = K1 * (1.0 - B + B * lengths / average)
            scores[ids] += idf * tf * (K1 + 1.0) / (tf + norm)
        return scores

    def _best(
        self, db: sqlite3.Connection, scores: np.ndarray, k: int, allowed: set[str] | None
    ) -> list[tuple[str, float]]:
        """The k best-scored passages that still exist (and are in `allowed`), best first;
        ties in passage order."""
        matched = np.flatnonzero(scores > 0)
        found: list[tuple[str, float]] = []
        done, wanted = 0, max(2 * k, 64)
        while done < len(matched) and len(found) < k:
            order = _leading(matched, scores, wanted)
            for part in _slices([int(i) for i in order[done:]]):
                marks = ",".join("?" * len(part))
                sql = f"SELECT id, chunk_id, doc_id FROM passages WHERE id IN ({marks})"  # noqa: S608 - placeholders only
                rows = {int(i): (str(c), str(d)) for i, c, d in db.execute(sql, part)}
                for i in part:
                    row = rows.get(i)
                    if row is not None and (allowed is None or row[1] in allowed):
                        found.append((row[0], float(scores[i])))
                        if len(found) == k:
                            return found
            done, wanted = len(order), wanted * 4
        return found

    @staticmethod
    def _counts(db: sqlite3.Connection, terms: list[str]) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for part in _slices(terms):
            marks = ",".join("?" * len(part))
            sql = f"SELECT term, passages FROM term_counts WHERE term IN ({marks})"  # noqa: S608 - placeholders only
            out.extend((str(t), int(n)) for t, n in db.execute(sql, part))
        return out

    @staticmethod
    def _passage_ids(db: sqlite3.Connection, doc_ids: Collection[str]) -> list[int]:
        return [
            int(row[0])
            for row in db.execute(
                "SELECT id FROM passages WHERE doc_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(doc_ids)),),
            )
        ]

    def chunk_ids(self) -> set[str]:
        with self._lock, self._errors("read"):
            return {row[0] for row in self._read.execute("SELECT chunk_id FROM passages")}

    def close(self) -> None:
        with self._lock:
            self._write.close()
            self._read.close()

    def _errors(self, what: str) -> contextlib.AbstractContextManager[None]:
        return self._file.errors(what)


def _leading(ids: np.ndarray, scores: np.ndarray, n: int) -> np.ndarray:
    """The `n` best-scored of `ids` (and any tied with the last), best first, ties by id."""
    if n < len(ids):
        threshold = np.partition(scores[ids], len(ids) - n)[len(ids) - n]
        ids = ids[scores[ids] >= threshold]
    return ids[np.lexsort((ids, -scores[ids]))]


def _slices(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), _SLICE):
        yield items[start : start + _SLICE]


def _indexed_text(chunk: Chunk) -> str:
    # Headings are part of what a passage is about: index them with its text.
    heading = " ".join(chunk.heading_path) if chunk.heading_path else ""
    return f"{heading}\n{chunk.text}" if heading else chunk.text


def iter_terms(text: str) -> Iterator[str]:
    """The terms the index uses for `text` (for tests and diagnostics)."""
    yield from _ANALYZER.terms(text)
