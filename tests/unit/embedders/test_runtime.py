"""The pieces under the ONNX embedders: batching by length, padding, pooling."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.embedders.runtime import length_batches, mean_pool, normalise, pad

pytestmark = pytest.mark.unit


def test_batches_group_similar_lengths_within_the_budget() -> None:
    lengths = [500, 3, 40, 4, 480, 41, 5, 600]
    batches = length_batches(lengths, budget=1000)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 1000
    assert batches == [[1, 3, 6, 2, 5], [4, 0], [7]]


def test_padding_is_masked_out_of_the_mean() -> None:
    ids, mask = pad([[5, 6, 7], [8]], pad_id=1)
    assert ids.tolist() == [[5, 6, 7], [8, 1, 1]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]
    hidden = np.array([[[1, 0], [3, 0], [5, 0]], [[0, 2], [9, 9], [9, 9]]], dtype=np.float32)
    pooled = mean_pool(hidden, mask)
    assert pooled.tolist() == [[3.0, 0.0], [0.0, 2.0]]
    unit = normalise(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))
    assert unit.tolist() == [[pytest.approx(0.6), pytest.approx(0.8)], [0.0, 0.0]]
