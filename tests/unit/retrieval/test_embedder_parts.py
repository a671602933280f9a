"""The pieces under the ONNX embedders: batching by length, pooling, the 4-bit format."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from desktop.embedders.e5_format import FormatError, dequantize, read_packed
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


def test_q4_blocks_expand_to_scaled_signed_weights() -> None:
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    # Byte j: weight j in the low nibble, weight j + 16 in the high nibble; stored value 8
    # means zero.
    nibbles = np.array([(j % 16) | (((15 - j) % 16) << 4) for j in range(16)], dtype=np.uint8)
    block = np.concatenate([scale, nibbles]).reshape(1, 1, 18)
    weights = dequantize(block)
    assert weights.shape == (1, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights[0].tolist() == expected


def test_a_file_of_another_format_is_rejected(tmp_path: Path) -> None:
    other = tmp_path / "other.bin"
    other.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(FormatError, match="not a packed e5 model"):
        read_packed(other)
    truncated = tmp_path / "short.bin"
    header = b"E5S1" + struct.pack("<I7ifi", 1, 384, 12, 12, 1536, 10, 512, 2, 1e-12, 32)
    truncated.write_bytes(header + struct.pack("<5iQ", 4, 0, 2, 1, 3, 10**9))
    with pytest.raises(FormatError, match="truncated"):
        read_packed(truncated)
