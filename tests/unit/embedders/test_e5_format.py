"""The built-in embedder's packed model file: 4-bit blocks, and files it refuses."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from desktop.embedders.e5_format import FormatError, decode_pieces, dequantize, read_packed

pytestmark = pytest.mark.unit


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


@pytest.mark.parametrize(
    "pieces",
    [
        [b"\xe2\x96\x81the", b"", b"\xe4\xb8\xad", b"x", b""],
        # Bad UTF-8: a cut sequence at a piece's end, a stray continuation byte at the next
        # piece's start, and an invalid lead byte.
        [b"ab\xe4\xb8", b"\xadcd", b"\xff", b"\xc3", b"\xa9"],
        [b"nul\x00inside", b"\xe4"],
    ],
)
def test_pieces_decode_as_each_piece_alone_would(pieces: list[bytes]) -> None:
    blob = b"#" + b"".join(pieces) + b"tail"  # offsets need not start at 0 nor reach the end
    offsets = np.cumsum([1] + [len(p) for p in pieces]).astype(np.uint32)
    expected = [p.decode("utf-8", errors="replace") for p in pieces]
    assert decode_pieces(blob, offsets) == expected
