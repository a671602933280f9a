"""Messages between the window and its indexing process: frames round-trip, a cut frame
reads as the end, and errors come back as the same class with the same fields."""

from __future__ import annotations

import io
import pickle
import struct

import pytest

from desktop.core.documents import KnowledgeBaseRecord
from desktop.core.errors import AuthenticationFailed, ReadingStopped, StoreBusy
from desktop.indexer.wire import pack_error, read_message, unpack_error, write_message

pytestmark = pytest.mark.unit


def test_messages_round_trip_with_the_project_s_own_types() -> None:
    record = KnowledgeBaseRecord("orchard", "orchard-1", "builtin:x", 384, "hearth-orchard", 1.0)
    stream = io.BytesIO()
    write_message(stream, ("result", 7, [record]))
    write_message(stream, ("cancel", 8))
    stream.seek(0)
    assert read_message(stream) == ("result", 7, [record])
    assert read_message(stream) == ("cancel", 8)
    assert read_message(stream) is None


def test_a_cut_message_reads_as_the_end_of_the_stream() -> None:
    stream = io.BytesIO()
    write_message(stream, ("result", 1, "x" * 100))
    stream = io.BytesIO(stream.getvalue()[:-10])
    assert read_message(stream) is None


def test_a_message_that_is_not_a_tuple_is_refused() -> None:
    stream = io.BytesIO()
    write_message(stream, ("ok",))
    body = stream.getvalue()
    other = pickle.dumps(["not", "a", "tuple"])
    with pytest.raises(ValueError, match="not a tuple"):
        read_message(io.BytesIO(struct.pack(">I", len(other)) + other))
    assert read_message(io.BytesIO(body)) == ("ok",)


@pytest.mark.parametrize(
    "error",
    [
        StoreBusy("Another Hearth process is changing the store.", "Close it."),
        ReadingStopped("a.pdf could not be read.", "Try again.", path="/tmp/a.pdf"),
        AuthenticationFailed("The key was refused.", "", provider="cloud", key_source="env"),
    ],
)
def test_errors_come_back_as_the_same_class_with_the_same_fields(error: Exception) -> None:
    back = unpack_error(pack_error(error))
    assert type(back) is type(error)
    assert vars(back) == vars(error)
    assert str(back) == str(error)


def test_an_unexpected_error_comes_back_with_its_traceback() -> None:
    try:
        raise KeyError("lost")
    except KeyError as exc:
        back = unpack_error(pack_error(exc))
    assert isinstance(back, RuntimeError)
    assert "KeyError: 'lost'" in str(back)
