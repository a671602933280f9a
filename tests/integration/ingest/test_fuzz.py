"""Fuzzing every loader within a small budget: mutated seed files of every format and
generated text in every encoding. Hypothesis runs derandomized with no example database,
so the suite stays deterministic; bench/fuzz_loaders.py is the long run.

Each input must give a document or a per-file sentence (fuzzing.check), never another
exception or a hang (pytest-timeout).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import formats
from desktop.core.errors import IngestError
from tests.integration.ingest import fuzzing

pytestmark = [pytest.mark.integration, pytest.mark.allow_warning_logs]

BUDGET = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

mutations = st.lists(
    st.tuples(
        st.integers(0, fuzzing.OPERATIONS - 1),
        st.integers(0, 1 << 24),
        st.integers(0, 63),
        st.integers(0, 1023),
    ),
    min_size=1,
    max_size=6,
)


def _load(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        fuzzing.check(path)


@pytest.mark.parametrize("seed", fuzzing.seeds(), ids=lambda seed: seed.loader)
def test_seed_is_read(seed: fuzzing.Seed, tmp_path: Path) -> None:
    """Every seed is a valid file its loader reads: the mutations start from real input."""
    path = tmp_path / seed.name
    path.write_bytes(seed.data)
    document = fuzzing.check(path)
    assert not isinstance(document, Exception), document
    assert document.segments


@pytest.mark.parametrize("seed", fuzzing.seeds(), ids=lambda seed: seed.loader)
def test_mutated_files_keep_the_contract(seed: fuzzing.Seed) -> None:
    @BUDGET
    @given(inside=st.booleans(), member=st.integers(0, 63), changes=mutations)
    def run(inside: bool, member: int, changes: list[fuzzing.Mutation]) -> None:
        _load(seed.name, fuzzing.mutate(seed, inside, member, changes))

    run()


_SUFFIXES = sorted(formats.SUPPORTED - formats.CONTAINERS)


@BUDGET
@given(
    text=st.text(max_size=400),
    codec=st.sampled_from(fuzzing.ENCODINGS),
    suffix=st.sampled_from(_SUFFIXES),
)
def test_generated_text_in_every_encoding(text: str, codec: str, suffix: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode(codec, errors="replace")
    _load(f"generated{suffix}", data)


@BUDGET
@given(data=st.binary(min_size=1, max_size=2000), suffix=st.sampled_from(sorted(formats.SUPPORTED)))
def test_generated_bytes_under_every_name(data: bytes, suffix: str) -> None:
    _load(f"generated{suffix}", data)


REGRESSIONS = sorted((Path(__file__).parent / "regressions").iterdir())


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda path: path.stem)
def test_fuzzing_findings_keep_the_contract(path: Path) -> None:
    """Inputs the fuzzer once broke the loaders with (a traceback each): now refused with a
    sentence naming the file, or read where a later reader copes with the damage."""
    outcome = fuzzing.check(path)
    if isinstance(outcome, IngestError):
        assert outcome.message.startswith(f"{path.name} "), outcome.message
    else:
        assert outcome.segments
