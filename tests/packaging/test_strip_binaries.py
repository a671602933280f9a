"""Stripping the bundle's libraries: symbols go, and a library that strip would break stays
as it was (numpy's OpenBLAS, rewritten by auditwheel's patchelf)."""

from __future__ import annotations

import ctypes
import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy
import pytest
import tokenizers

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("strip") is None, reason="needs binutils' strip"),
]

# A script of the build, not a module (the name `packaging` is the PyPI package's).
SCRIPT: dict[str, Any] = runpy.run_path(
    str(Path(__file__).resolve().parents[2] / "packaging" / "strip_binaries.py")
)
has_symbol_table, loads_soundly, strip_bundle = (
    SCRIPT["has_symbol_table"],
    SCRIPT["loads_soundly"],
    SCRIPT["strip_bundle"],
)
OPENBLAS = next((Path(numpy.__file__).parents[1] / "numpy.libs").glob("libscipy_openblas*.so"))
TOKENIZERS = Path(tokenizers.__file__).parent / "tokenizers.abi3.so"


def test_a_library_strip_would_misalign_is_kept_and_the_others_are_stripped(
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "hearth"
    (bundle / "_internal" / "numpy.libs").mkdir(parents=True)
    (bundle / "_internal" / "tokenizers").mkdir()
    openblas = bundle / "_internal" / "numpy.libs" / OPENBLAS.name
    library = bundle / "_internal" / "tokenizers" / TOKENIZERS.name
    shutil.copyfile(OPENBLAS, openblas)
    shutil.copyfile(TOKENIZERS, library)
    assert has_symbol_table(openblas.read_bytes()) and has_symbol_table(library.read_bytes())

    before, after, kept = strip_bundle(bundle)

    assert kept == [openblas.relative_to(bundle)]
    assert openblas.read_bytes() == OPENBLAS.read_bytes()
    assert not has_symbol_table(library.read_bytes())
    assert after == before - (TOKENIZERS.stat().st_size - library.stat().st_size) < before
    ctypes.CDLL(str(library))  # the stripped library still loads


def test_plain_strip_of_the_patched_openblas_gives_a_library_that_does_not_load(
    tmp_path: Path,
) -> None:
    """Why the check exists: what PyInstaller's own strip option would have shipped."""
    copy = tmp_path / OPENBLAS.name
    shutil.copyfile(OPENBLAS, copy)
    subprocess.run(["strip", str(copy)], check=True)
    assert not loads_soundly(copy.read_bytes())
    with pytest.raises(OSError, match="not page-aligned"):
        ctypes.CDLL(str(copy))
