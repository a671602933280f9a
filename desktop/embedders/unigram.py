"""A query-sized SentencePiece Unigram tokenizer in plain Python.

The `tokenizers` library needs about a second of processor time (holding the GIL) to build
its Unigram model from e5's 250,002 pieces, which is most of what loading the embedder
costs. A search embeds one short query, so it is tokenised here instead, from a dictionary
built in a few tens of milliseconds; passages, in batches, still go through `tokenizers`
(built on their first use). The ids are the same as `tokenizers` gives with the settings
in `desktop.embedders.builtin._tokenizer`: spaces collapsed, Metaspace ("always" prepend,
split into words), then the same Viterbi search (the first best path found wins; unknown
characters fused into one unknown token). A test compares the two on many texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

SPACE = "\u2581"
# tokenizers scores an unknown character this far below the vocabulary's lowest score.
UNK_PENALTY = 10.0
_SPACES = re.compile(" {2,}")


class UnigramTokenizer:
    """Token ids of a text, as `tokenizers`' Unigram model with Metaspace would give them.

    Args:
        pieces: the vocabulary, by id (a duplicated piece takes its last id).
        scores: each piece's log probability.
        unk: the id of the unknown token.
    """

    def __init__(self, pieces: Sequence[str], scores: Sequence[float], unk: int) -> None:
        self._ids = dict(zip(pieces, range(len(pieces)), strict=True))
        self._scores = scores
        self._unk = unk
        self._unk_score = min(scores) - UNK_PENALTY
        self._longest = max(map(len, pieces))

    def encode(self, text: str) -> list[int]:
        text = _SPACES.sub(" ", text).replace(" ", SPACE)
        if not text.startswith(SPACE):
            text = SPACE + text
        ids: list[int] = []
        start = 0
        # Each word starts at a space mark (it is merged with what follows it).
        for end in range(1, len(text) + 1):
            if end == len(text) or text[end] == SPACE:
                ids += self._viterbi(text[start:end])
                start = end
        return ids

    def _viterbi(self, word: str) -> list[int]:
        size = len(word)
        score: list[float | None] = [0.0] + [None] * size
        begin = [0] * (size + 1)
        token = [0] * (size + 1)

        def offer(at: int, end: int, value: float, token_id: int) -> None:
            best = score[end]
            if best is None or value > best:
                score[end], begin[end], token[end] = value, at, token_id

        for at in range(size):
            here = score[at]
            assert here is not None  # every position is reached (unknown characters too)
            single = False
            for end in range(at + 1, min(size, at + self._longest) + 1):
                token_id = self._ids.get(word[at:end])
                if token_id is not None:
                    offer(at, end, here + self._scores[token_id], token_id)
                    single = single or end == at + 1
            if not single:
                offer(at, at + 1, here + self._unk_score, self._unk)
        return self._backtrack(word, begin, token)

    def _backtrack(self, word: str, begin: list[int], token: list[int]) -> list[int]:
        ids: list[int] = []
        unknown_end: int | None = None  # end of a run of unknown characters being fused
        end = len(word)
        while end > 0:
            at = begin[end]
            if token[end] == self._unk:
                unknown_end = end if unknown_end is None else unknown_end
            else:
                if unknown_end is not None:
                    ids.append(self._ids.get(word[end:unknown_end], self._unk))
                    unknown_end = None
                ids.append(token[end])
            end = at
        if unknown_end is not None:
            ids.append(self._ids.get(word[:unknown_end], self._unk))
        ids.reverse()
        return ids
