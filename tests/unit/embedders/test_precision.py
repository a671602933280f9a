"""The built-in embedder's choice of weights and onnxruntime providers per machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.embedders import precision
from desktop.embedders.precision import cpu_flags, preferred_precision, providers

pytestmark = pytest.mark.unit

CPU = ["AzureExecutionProvider", "CPUExecutionProvider"]
AVX2_ONLY = frozenset({"sse4_2", "fma", "avx", "avx2"})
VNNI = AVX2_ONLY | {"avx512f", "avx512_vnni"}
OLD_X86 = frozenset({"sse4_2", "avx"})
ARM_DOTPROD = frozenset({"fp", "asimd", "asimddp"})
ARM_PLAIN = frozenset({"fp", "asimd"})


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (AVX2_ONLY, "int8"),
        (VNNI, "int8"),
        (ARM_DOTPROD, "int8"),
        (OLD_X86, "float32"),
        (ARM_PLAIN, "float32"),
        (frozenset(), "int8"),  # unknown: as before the choice existed
    ],
)
def test_weights_follow_the_processors_integer_instructions(
    flags: frozenset[str], expected: str
) -> None:
    assert preferred_precision(CPU, flags) == expected


def test_a_gpu_provider_comes_first_and_takes_float32() -> None:
    available = ["CPUExecutionProvider", "DmlExecutionProvider", "CUDAExecutionProvider"]
    assert providers(available) == [
        "CUDAExecutionProvider",
        "DmlExecutionProvider",
        "CPUExecutionProvider",
    ]
    assert preferred_precision(available, VNNI) == "float32"
    assert providers(CPU) == ["CPUExecutionProvider"]


def test_flags_are_read_from_cpuinfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse4_2 avx avx2\n\n")
    monkeypatch.setattr(precision, "CPUINFO", info)
    cpu_flags.cache_clear()
    try:
        assert {"avx2", "sse4_2"} <= cpu_flags()
        monkeypatch.setattr(precision, "CPUINFO", tmp_path / "missing")
        cpu_flags.cache_clear()
        assert cpu_flags() == frozenset()
    finally:
        cpu_flags.cache_clear()
